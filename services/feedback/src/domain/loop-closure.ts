// Closing the loop: which event an outcome emits (closed or reopened), with the raised grade and the supervision flag.
import { TOPICS, type CloudEvent, type ComplaintClosed, type ComplaintReopened } from '@complaints/contracts';
import {
  createEvent,
  currentTraceCarrier,
  problems,
  toOutboxEntry,
  type OutboxEntry,
} from '@complaints/platform';
import type { CallbackRules, CallbackTask, RecordedOutcome, ReopenFacts } from './callback-task';
import { raiseGrade } from './grade-escalation';

export const SOURCE = '/services/feedback';

export interface LoopClosure {
  outcome: RecordedOutcome;
  reopen?: ReopenFacts;
  event: CloudEvent<ComplaintClosed> | CloudEvent<ComplaintReopened>;
  /** The event wrapped for the outbox of the task's document. */
  entry: OutboxEntry;
}

/**
 * `earlierDissatisfied` counts this complaint's other callbacks that ended dissatisfied. Event ids are
 * `<callbackId>/closed` or `/reopened`: a callback finishes once, so a re-emitted event dedupes downstream.
 */
export function closeLoop(
  task: CallbackTask,
  outcome: RecordedOutcome,
  earlierDissatisfied: number,
  rules: Pick<CallbackRules, 'supervisionAtReopen'>,
): LoopClosure {
  const at = outcome.recordedAt;
  if (outcome.outcome === 'dissatisfied') {
    const reopenCount = earlierDissatisfied + 1;
    const reopen: ReopenFacts = {
      previousGrade: task.grade,
      grade: raiseGrade(task.grade),
      reopenCount,
      supervision: reopenCount >= rules.supervisionAtReopen,
    };
    const data: ComplaintReopened = {
      complaintId: task.complaintId,
      callbackId: task._id,
      reason: outcome.reason ?? 'dissatisfied',
      ...reopen,
      recordedBy: outcome.recordedBy,
      reopenedAt: at.toISOString(),
    };
    const event = createEvent({
      topic: TOPICS.reopened,
      subject: task.complaintId,
      source: SOURCE,
      id: `${task._id}/reopened`,
      data,
      time: at,
    });
    return { outcome, reopen, event, entry: toOutboxEntry(event, task.trace ?? currentTraceCarrier()) };
  }
  const data: ComplaintClosed = {
    complaintId: task.complaintId,
    callbackId: task._id,
    outcome: outcome.outcome,
    ...(outcome.rating !== undefined ? { rating: outcome.rating } : {}),
    recordedBy: outcome.recordedBy,
    closedAt: at.toISOString(),
  };
  const event = createEvent({
    topic: TOPICS.closed,
    subject: task.complaintId,
    source: SOURCE,
    id: `${task._id}/closed`,
    data,
    time: at,
  });
  return { outcome, event, entry: toOutboxEntry(event, task.trace ?? currentTraceCarrier()) };
}

/** A finished task answers a repeat of its own outcome as done (no second event) and refuses any other. */
export function assertSameOutcome(task: CallbackTask, outcome: RecordedOutcome['outcome']): void {
  if (task.status === outcome) return;
  const done = task.outcome;
  throw problems.conflict(
    `Callback ${task._id} already ended as ${task.status}` +
      (done ? ` (recorded by ${done.recordedBy} at ${done.recordedAt.toISOString()})` : '') +
      `; a different outcome (${outcome}) cannot be recorded.`,
  );
}
