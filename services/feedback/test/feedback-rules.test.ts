// The rules as plain functions: grade escalation, report periods, KPI arithmetic, staff figures, survey links, the survey page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, test } from 'node:test';
import { AppError } from '@complaints/platform';
import { GRADES } from '@complaints/contracts';
import { raiseGrade } from '../src/domain/grade-escalation';
import { reportPeriod } from '../src/domain/report-period';
import { KPI_DEFINITIONS, kpiReport, ratio, type ComplaintGroups } from '../src/domain/kpis';
import { STAFF_RATING_DEFINITIONS, staffRatingsReport } from '../src/domain/staff-ratings';
import { SurveyLinks } from '../src/domain/survey-link';
import { surveyPage } from '../src/entry-points/http/survey-page';
import { closeLoop } from '../src/domain/loop-closure';
import { newCallbackTask } from '../src/domain/callback-task';
import { resolvedData } from './support/complaint-events';

const rejectsWith = async (promise: Promise<unknown>, status: number, type: RegExp) => {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.status, status);
    assert.match(error.type, type);
    return true;
  });
};

describe('grade escalation', () => {
  test('each dissatisfied callback raises the grade one level; special stays special', () => {
    assert.deepEqual(
      GRADES.map((g) => raiseGrade(g)),
      ['important', 'major', 'special', 'special'],
    );
  });

  test('the reopened event carries the raised grade; supervision from the second dissatisfied callback', () => {
    const rules = {
      deadlineHours: 24,
      maxFailedAttempts: 3,
      supervisionAtReopen: 2,
      surveyChannels: [],
      surveyTtlHours: 1,
    };
    const task = newCallbackTask(
      resolvedData('CMP-0000-0000-0000-0001', { grade: 'major' }),
      'e1',
      rules,
      new Date(),
    );
    const outcome = {
      outcome: 'dissatisfied' as const,
      reason: 'no change',
      recordedBy: 'A-1',
      recordedVia: 'agent' as const,
      recordedAt: new Date('2026-03-01T00:00:00Z'),
    };
    const first = closeLoop(task, outcome, 0, rules);
    assert.deepEqual(first.reopen, {
      previousGrade: 'major',
      grade: 'special',
      reopenCount: 1,
      supervision: false,
    });
    assert.equal(first.event.id, 'CB-CMP-0000-0000-0000-0001-1/reopened');
    assert.equal(closeLoop(task, outcome, 1, rules).reopen?.supervision, true);
    const closed = closeLoop(task, { ...outcome, outcome: 'satisfied' }, 0, rules);
    assert.equal(closed.event.type, 'complaints.closed.v1');
    assert.equal(closed.reopen, undefined);
  });
});

describe('report periods', () => {
  const now = new Date('2026-05-15T12:00:00Z');

  test('bare dates cover whole UTC days; date-times keep their offset; the default is the last 30 days', () => {
    const march = reportPeriod({ from: '2026-03-01', to: '2026-03-31' }, now);
    assert.equal(march.from.toISOString(), '2026-03-01T00:00:00.000Z');
    assert.equal(march.to.toISOString(), '2026-04-01T00:00:00.000Z');
    const beijing = reportPeriod({ from: '2026-03-01T00:00:00+08:00', to: '2026-03-02T00:00:00+08:00' }, now);
    assert.equal(beijing.from.toISOString(), '2026-02-28T16:00:00.000Z');
    const defaults = reportPeriod({}, now);
    assert.equal(defaults.to.toISOString(), now.toISOString());
    assert.equal(defaults.from.toISOString(), '2026-04-15T12:00:00.000Z');
  });

  test('impossible dates and reversed periods are refused, naming the parameter', () => {
    assert.throws(
      () => reportPeriod({ from: '2026-02-29' }, now),
      (e: AppError) => e.errors?.[0].field === '/from',
    );
    assert.throws(
      () => reportPeriod({ from: '2026-03-02', to: '2026-03-01' }, now),
      (e: AppError) => e.errors?.[0].field === '/to',
    );
  });
});

describe('KPI arithmetic', () => {
  test('the README defines every KPI and staff figure with the same words as the responses', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const [name, text] of Object.entries({ ...KPI_DEFINITIONS, ...STAFF_RATING_DEFINITIONS }))
      assert.ok(readme.includes(`| \`${name}\` | ${text} |`), `README row for ${name}`);
  });

  test('rates round to 4 decimals and are null without a denominator', () => {
    assert.deepEqual(ratio(2, 3), { value: 0.6667, numerator: 2, denominator: 3 });
    assert.deepEqual(ratio(0, 0), { value: null, numerator: 0, denominator: 0 });
  });

  test('callback, satisfaction, on-time and reopen rates from grouped resolutions', () => {
    const none: ComplaintGroups = {
      byRootCause: [],
      bySubtype: [],
      byGrade: [],
      byAreaType: [],
      byArea: [{ routed: null, reported: 'TA-9', count: 2 }],
      byMaxRevision: [
        { key: 1, count: 3 },
        { key: 2, count: 1 },
      ],
    };
    const report = kpiReport(
      { from: new Date(0), to: new Date(1) },
      [
        { status: 'satisfied', onTime: true, terminated: false, count: 4 },
        { status: 'dissatisfied', onTime: false, terminated: false, count: 1 },
        { status: 'unreachable', onTime: true, terminated: false, count: 2 },
        { status: 'pending', onTime: true, terminated: true, count: 3 },
      ],
      none,
    );
    assert.deepEqual(report.kpis.callbackRate, { value: 0.7, numerator: 7, denominator: 10 });
    assert.deepEqual(report.kpis.satisfactionRate, { value: 0.8, numerator: 4, denominator: 5 });
    assert.deepEqual(report.kpis.onTimeResolutionRate, { value: 0.9, numerator: 9, denominator: 10 });
    assert.deepEqual(report.kpis.reopenRate, { value: 0.1, numerator: 1, denominator: 10 });
    assert.deepEqual(report.kpis.reclassificationRate, { value: 0.25, numerator: 1, denominator: 4 });
    assert.deepEqual(report.complaints.byTransformerArea, { 'TA-9': 2 });
    assert.equal(report.resolutions.terminated, 3);
  });
});

describe('staff ratings', () => {
  test('a staff member who moved teams is shown under the team of most cases; ratings average over rated callbacks', () => {
    const report = staffRatingsReport({ from: new Date(0), to: new Date(1) }, 'staff', [
      { staffId: 'F-9', team: 'field_operations', status: 'satisfied', rating: 5, count: 2 },
      { staffId: 'F-9', team: 'service_quality', status: 'dissatisfied', rating: null, count: 1 },
      { staffId: 'F-9', team: 'field_operations', status: 'basically_satisfied', rating: 2, count: 1 },
    ]);
    assert.equal(report.rows.length, 1);
    assert.equal(report.rows[0].team, 'field_operations');
    assert.equal(report.rows[0].averageRating, 4);
    assert.equal(report.rows[0].satisfactionRate, 0.75);
  });
});

describe('survey links', () => {
  const secret = 'x'.repeat(40);
  let now = new Date('2026-03-01T00:00:00Z');
  const links = new SurveyLinks(secret, () => now, '');

  test('a signed link names its callback until it expires; then 410; an altered or foreign one is 403', async () => {
    const expiresAt = new Date('2026-03-08T00:00:00Z');
    const token = await links.sign('CB-CMP-0000-0000-0000-0001-1', now, expiresAt);
    assert.equal(links.url(token), `/survey/${token}`);
    assert.deepEqual(await links.verify(token), { callbackId: 'CB-CMP-0000-0000-0000-0001-1', expiresAt });
    const foreign = await new SurveyLinks('y'.repeat(40), () => now, '').sign('CB-X-1', now, expiresAt);
    await rejectsWith(links.verify(foreign), 403, /survey-link-invalid/);
    await rejectsWith(links.verify(`${token}x`), 403, /survey-link-invalid/);
    now = new Date('2026-03-08T00:00:01Z');
    await rejectsWith(links.verify(token), 410, /survey-link-expired/);
    await rejectsWith(links.verify(foreign), 403, /survey-link-invalid/);
  });
});

describe('survey page', () => {
  test('its inline script is valid JavaScript, and text is escaped', () => {
    const html = surveyPage({ kind: 'open', complaintId: 'CMP-<b>', expiresAt: new Date(0) }, 'n0nce');
    const script = /<script nonce="n0nce">([\s\S]*)<\/script>/.exec(html)?.[1];
    assert.ok(script);
    assert.doesNotThrow(() => new Script(script), 'the page script compiles');
    assert.ok(html.includes('CMP-&lt;b&gt;') && !html.includes('CMP-<b>'));
    const closed = surveyPage({ kind: 'closed', title: 'Gone', detail: '<script>x</script>' }, 'n');
    assert.ok(!closed.includes('<script>x'));
  });
});
