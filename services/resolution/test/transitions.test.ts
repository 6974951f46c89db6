// The lifecycle table: what each action needs first, where it leads, and how a refusal reads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WORK_ORDER_STATUSES } from '@complaints/contracts';
import { checkTransition, OPEN_STATUSES, TRANSITIONS } from '../src/domain/transitions';

describe('work-order transitions', () => {
  test('the happy path runs assigned → accepted → contacted → on site → resolved → closed', () => {
    const path = [
      ['assigned', 'accept', 'accepted'],
      ['accepted', 'contact', 'contacted'],
      ['contacted', 'arrive', 'on_site'],
      ['on_site', 'resolve', 'resolved'],
      ['resolved', 'close', 'closed'],
    ] as const;
    for (const [from, action, to] of path) assert.deepEqual(checkTransition(action, from), { ok: true, to });
  });

  test('an unaccepted order cannot be resolved, and the refusal says what to do first', () => {
    const check = checkTransition('resolve', 'assigned');
    assert.equal(check.ok, false);
    assert.match(
      !check.ok ? check.message : '',
      /Cannot resolve a work order that is assigned: allowed only when contacted, on_site; accept the order/,
    );
  });

  test('a reopened order must be accepted again; contact after resolution is refused', () => {
    assert.deepEqual(checkTransition('accept', 'reopened'), { ok: true, to: 'accepted' });
    assert.equal(checkTransition('contact', 'resolved').ok, false);
    assert.equal(checkTransition('reopen', 'closed').ok, false);
    assert.deepEqual(checkTransition('reopen', 'terminated'), { ok: true, to: 'reopened' });
  });

  test('a supervisor can terminate and an incident can resolve from every open status, never from a finished one', () => {
    for (const status of OPEN_STATUSES) {
      assert.deepEqual(checkTransition('terminate', status), { ok: true, to: 'terminated' });
      assert.deepEqual(checkTransition('resolve_with_incident', status), { ok: true, to: 'resolved' });
    }
    for (const status of ['resolved', 'terminated', 'closed'] as const) {
      assert.equal(checkTransition('terminate', status).ok, false);
      assert.equal(checkTransition('pause', status).ok, false);
    }
  });

  test('record-only actions keep the status', () => {
    assert.deepEqual(checkTransition('pause', 'contacted'), { ok: true, to: 'contacted' });
    assert.deepEqual(checkTransition('escalate', 'on_site'), { ok: true, to: 'on_site' });
  });

  test('the table only names known statuses', () => {
    for (const [action, t] of Object.entries(TRANSITIONS)) {
      for (const s of t.from) assert.ok(WORK_ORDER_STATUSES.includes(s), `${action} from ${s}`);
      if (t.to !== 'unchanged') assert.ok(WORK_ORDER_STATUSES.includes(t.to), `${action} to ${t.to}`);
    }
  });
});
