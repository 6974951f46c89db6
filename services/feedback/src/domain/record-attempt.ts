// Records a failed attempt to reach the customer; the last allowed one ends the callback as unreachable and closes the complaint.
import type { FAILED_CONTACT_RESULTS } from '@complaints/contracts';
import { problems } from '@complaints/platform';
import type { CallbackRepository, Finish } from '../data-access/callback-repository';
import type { CallbackRules, CallbackTask, ContactAttempt, RecordedOutcome } from './callback-task';
import { closeLoop } from './loop-closure';
import { callbackActivity } from './callback-activity';
import { loadTask, type Recorded } from './record-outcome';

export interface FailedAttempt {
  result: (typeof FAILED_CONTACT_RESULTS)[number];
  note?: string;
  /** Idempotency-Key of the request: the same key records one attempt. */
  key?: string;
  recordedBy: string;
}

const MAX_ROUNDS = 5;

export async function recordFailedAttempt(
  callbacks: CallbackRepository,
  rules: Pick<CallbackRules, 'maxFailedAttempts' | 'supervisionAtReopen'>,
  callbackId: string,
  input: FailedAttempt,
  now: Date,
  guard?: (task: CallbackTask) => void,
): Promise<Recorded> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const task = await loadTask(callbacks, callbackId);
    guard?.(task);
    if (input.key && task.contactAttempts.some((a) => a.key === input.key)) return { task };
    if (task.status !== 'pending')
      throw problems.conflict(
        `Callback ${task._id} already ended as ${task.status}; no more attempts can be recorded.`,
      );
    const attempt: ContactAttempt = {
      ...(input.key ? { key: input.key } : {}),
      result: input.result,
      ...(input.note !== undefined ? { note: input.note } : {}),
      recordedBy: input.recordedBy,
      recordedAt: now,
    };
    let finish: Finish | undefined;
    if (task.failedAttempts + 1 >= rules.maxFailedAttempts) {
      const outcome: RecordedOutcome = {
        outcome: 'unreachable',
        note: `${task.failedAttempts + 1} failed attempts to reach the customer`,
        recordedBy: input.recordedBy,
        recordedVia: 'attempts',
        recordedAt: now,
      };
      finish = { outcome, entry: closeLoop(task, outcome, 0, rules).entry };
    }
    const failed = task.failedAttempts + 1;
    const activity = callbackActivity(
      task,
      failed,
      'callback.attempt_failed',
      `Callback attempt ${failed} of ${rules.maxFailedAttempts} failed: ${input.result.replace(/_/g, ' ')}${finish ? ' — customer unreachable' : ''}`,
      `staff:${input.recordedBy}`,
      now,
      { result: input.result },
    );
    const updated = await callbacks.addAttempt(task._id, task.failedAttempts, attempt, now, finish, [
      activity,
    ]);
    if (updated) return { task: updated, emitted: finish?.entry };
    // Another agent recorded something meanwhile: read again and decide afresh.
  }
  throw problems.conflict(`Callback ${callbackId} is being changed by someone else; try again.`);
}
