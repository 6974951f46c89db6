// Records the customer's answer once: the outcome and its closed/reopened event in one write; a repeat emits nothing.
import type { OutboxEntry } from '@complaints/platform';
import { problems } from '@complaints/platform';
import type { CallbackRepository } from '../data-access/callback-repository';
import type { CallbackRules, CallbackTask, RecordedOutcome } from './callback-task';
import { assertSameOutcome, closeLoop } from './loop-closure';

export interface Answer {
  outcome: 'satisfied' | 'basically_satisfied' | 'dissatisfied';
  rating?: number;
  reason?: string;
  note?: string;
  recordedBy: string;
  recordedVia: 'agent' | 'survey';
}

export interface Recorded {
  task: CallbackTask;
  /** The event queued by this call, to hand to the relay; absent when nothing changed. */
  emitted?: OutboxEntry;
}

export interface RecordOptions {
  /** Checks who may answer this task (runs before anything is written). */
  guard?: (task: CallbackTask) => void;
  /** What a task that already has an outcome answers; default: same outcome is a no-op, another is 409. */
  onFinished?: (task: CallbackTask) => void;
}

export const loadTask = async (callbacks: CallbackRepository, id: string): Promise<CallbackTask> => {
  const task = await callbacks.findById(id);
  if (!task) throw problems.notFound(`No callback task ${id}.`);
  return task;
};

export async function recordOutcome(
  callbacks: CallbackRepository,
  rules: Pick<CallbackRules, 'supervisionAtReopen'>,
  callbackId: string,
  answer: Answer,
  now: Date,
  options: RecordOptions = {},
): Promise<Recorded> {
  const task = await loadTask(callbacks, callbackId);
  options.guard?.(task);
  const finished = (done: CallbackTask): Recorded => {
    if (options.onFinished) options.onFinished(done);
    else assertSameOutcome(done, answer.outcome);
    return { task: done };
  };
  if (task.status !== 'pending') return finished(task);

  const outcome: RecordedOutcome = {
    outcome: answer.outcome,
    ...(answer.rating !== undefined ? { rating: answer.rating } : {}),
    ...(answer.reason !== undefined ? { reason: answer.reason } : {}),
    ...(answer.note !== undefined ? { note: answer.note } : {}),
    recordedBy: answer.recordedBy,
    recordedVia: answer.recordedVia,
    recordedAt: now,
  };
  const earlier =
    answer.outcome === 'dissatisfied' ? await callbacks.countDissatisfied(task.complaintId, task._id) : 0;
  const closure = closeLoop(task, outcome, earlier, rules);
  const { entry, reopen } = closure;
  const updated = await callbacks.finish(task._id, { outcome, reopen, entry }, now);
  if (updated) return { task: updated, emitted: entry };
  // Someone else finished it between our read and write: answer as if we had come second.
  return finished(await loadTask(callbacks, callbackId));
}
