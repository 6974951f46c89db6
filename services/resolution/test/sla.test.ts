// Time limits: warning at 75%, breach at the deadline, steps that stop the clock, and pauses that extend it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  completeLimits,
  dueSignals,
  elapsedRatio,
  extendForPause,
  isOverdue,
  nextSlaCheck,
  restartLimits,
  startLimits,
  type SlaState,
} from '../src/domain/sla';

const T0 = new Date('2026-11-20T12:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const deadlines = {
  dispatchBy: at(20).toISOString(),
  firstContactBy: at(24 * 60).toISOString(),
  resolveBy: at(4 * 24 * 60).toISOString(),
};

describe('SLA computation', () => {
  test('each limit warns at 75% of its allowed time and is breached at its deadline', () => {
    const sla = startLimits(deadlines, T0, 0.75);
    assert.equal(sla.dispatch?.warnAt.toISOString(), at(15).toISOString());
    assert.equal(sla.first_contact?.warnAt.toISOString(), at(18 * 60).toISOString());
    assert.equal(sla.on_site, undefined, 'no on-site limit unless routing set one');
    assert.deepEqual(dueSignals(sla, at(14), false), []);
    assert.deepEqual(dueSignals(sla, at(15), false), [{ limit: 'dispatch', warning: true, breach: false }]);
    const warned = { ...sla, dispatch: { ...sla.dispatch, warnedAt: at(15) } };
    assert.deepEqual(dueSignals(warned, at(19), false), []);
    assert.deepEqual(dueSignals(warned, at(20), false), [
      { limit: 'dispatch', warning: false, breach: true },
    ]);
    assert.equal(elapsedRatio(sla.dispatch, at(15)), 0.75);
  });

  test('a breach found before its warning carries the warning with it', () => {
    const sla = startLimits(deadlines, T0, 0.75);
    assert.deepEqual(dueSignals(sla, at(30), false), [{ limit: 'dispatch', warning: true, breach: true }]);
  });

  test('a limit stops counting once its step is done', () => {
    const sla = completeLimits(startLimits(deadlines, T0, 0.75), 'accept', at(5));
    assert.equal(sla.dispatch?.doneAt?.toISOString(), at(5).toISOString());
    assert.equal(sla.first_contact?.doneAt, null);
    assert.deepEqual(dueSignals(sla, at(60), false), []);
    const resolved = completeLimits(sla, 'resolve', at(90));
    assert.ok(Object.values(resolved).every((s) => s.doneAt !== null));
  });

  test('nothing is due while paused, and the paused time extends the open deadlines only', () => {
    const sla = completeLimits(startLimits(deadlines, T0, 0.75), 'accept', at(5));
    assert.deepEqual(dueSignals(sla, at(20 * 60), true), [], 'paused: no warning');
    const extended = extendForPause(sla, 10 * 60 * 60_000);
    assert.equal(extended.first_contact?.deadline.toISOString(), at(34 * 60).toISOString());
    assert.equal(extended.first_contact?.warnAt.toISOString(), at(28 * 60).toISOString());
    assert.equal(
      extended.dispatch?.deadline.toISOString(),
      sla.dispatch?.deadline.toISOString(),
      'done limit untouched',
    );
    assert.deepEqual(
      dueSignals(extended, at(27 * 60), false).map((s) => s.limit),
      [],
      '75% of first contact is now at 28 h',
    );
    assert.equal(
      elapsedRatio(extended.first_contact, at(28 * 60)),
      0.75,
      'paused time is not counted as used',
    );
  });

  test('overdue means a running limit was missed; a reopening restarts every limit with the same allowance', () => {
    const sla = startLimits(deadlines, T0, 0.75);
    assert.equal(isOverdue(sla, at(10), false), false);
    assert.equal(isOverdue(sla, at(21), false), true);
    const again = restartLimits(sla, at(5 * 24 * 60), 0.75);
    assert.equal(again.resolve?.deadline.toISOString(), at(9 * 24 * 60).toISOString());
    assert.equal(again.first_contact?.warnedAt, null);
  });

  test('the stored next check is the first instant anything falls due, for any mix of limit states', () => {
    // A seeded walk over states: limits started at different times, some done, warned, breached or paused.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    for (let round = 0; round < 2000; round++) {
      const sla: SlaState = startLimits(
        {
          dispatchBy: at(5 + random() * 60).toISOString(),
          firstContactBy: at(60 + random() * 2000).toISOString(),
          resolveBy: at(2000 + random() * 6000).toISOString(),
          ...(random() < 0.5 ? { onSiteBy: at(30 + random() * 300).toISOString() } : {}),
        },
        T0,
        0.75,
      );
      for (const limit of Object.keys(sla) as Array<keyof SlaState>) {
        const state = sla[limit]!;
        const mark = pick(['none', 'warned', 'breached', 'done']);
        if (mark === 'warned' || mark === 'breached') state.warnedAt = state.warnAt;
        if (mark === 'breached') state.breachedAt = state.deadline;
        if (mark === 'done') state.doneAt = at(1);
      }
      const paused = random() < 0.1;
      const next = nextSlaCheck(sla, paused);
      // Nothing is due just before the check; something is due at it; with no check nothing ever falls due.
      if (next === null) {
        assert.deepEqual(dueSignals(sla, at(10 ** 6), paused), [], `round ${round}`);
      } else {
        assert.deepEqual(dueSignals(sla, new Date(next.getTime() - 1), paused), [], `round ${round}`);
        assert.notDeepEqual(dueSignals(sla, next, paused), [], `round ${round}`);
      }
    }
  });
});
