// Callback steps for the complaint's timeline (complaints.activity.v1): the task opened, each failed attempt.
import { TOPICS, type ComplaintActivity } from '@complaints/contracts';
import { createEvent, currentTraceCarrier, toOutboxEntry, type OutboxEntry } from '@complaints/platform';
import type { CallbackTask } from './callback-task';

const SOURCE = '/services/feedback';

/** `sequence` numbers the task's steps (0 opened, n the n-th failed attempt): deterministic ids dedupe downstream. */
export function callbackActivity(
  task: CallbackTask,
  sequence: number,
  step: string,
  summary: string,
  actor: string,
  at: Date,
  details: ComplaintActivity['details'] = {},
): OutboxEntry {
  const event = createEvent({
    topic: TOPICS.activity,
    subject: task.complaintId,
    source: SOURCE,
    id: `${task._id}/activity/${sequence}`,
    time: at,
    data: {
      complaintId: task.complaintId,
      service: 'feedback',
      step,
      at: at.toISOString(),
      actor,
      summary: summary.slice(0, 500),
      callbackId: task._id,
      workOrderId: task.workOrderId,
      details: { attempt: task.attempt, ...details },
    },
  });
  return toOutboxEntry(event, task.trace ?? currentTraceCarrier());
}
