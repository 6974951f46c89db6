// KPIs over time from a known set of events: complaints per bucket by root cause, callback and satisfaction rates per bucket.
import './support/telemetry';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { TOPICS, type RootCause, type Subtype } from '@complaints/contracts';
import { startTestInfra, type TestInfra } from '@complaints/platform/testing';
import { startFeedback, type Harness } from './support/feedback-harness';
import { TestPublisher, newComplaintId, resolvedData, routedData } from './support/complaint-events';

let infra: TestInfra;
let h: Harness;
let publisher: TestPublisher;
let manager: string;
let agent: string;

const [A, B, C, D, E, F, G] = Array.from({ length: 7 }, newComplaintId);
const SUBTYPE: Record<RootCause, Subtype> = {
  power_quality: 'voltage_low',
  staff_attitude: 'rudeness',
  other: 'billing',
};

const routed = (complaintId: string, revision: number, rootCause: RootCause, routedAt: string) =>
  routedData(complaintId, {
    revision,
    classification: { ...routedData(complaintId).classification, rootCause, subtype: SUBTYPE[rootCause] },
    routedAt,
  });

/** First routings: three in the 08:00 hour of 10 May, one exactly at 09:00, E at 10:30 (reclassified at 11:15). */
const ROUTINGS = [
  routed(A, 1, 'power_quality', '2026-05-10T08:10:00Z'),
  routed(B, 1, 'power_quality', '2026-05-10T08:50:00Z'),
  routed(C, 1, 'staff_attitude', '2026-05-10T08:59:59Z'),
  routed(D, 1, 'other', '2026-05-10T09:00:00Z'),
  routed(E, 1, 'other', '2026-05-10T10:30:00Z'),
  routed(E, 2, 'power_quality', '2026-05-10T11:15:00Z'),
  routed(F, 1, 'other', '2026-05-11T00:30:00Z'),
  routed(G, 1, 'staff_attitude', '2026-05-09T23:59:00Z'),
];

/** Resolutions and how their callbacks end. */
const RESOLUTIONS: Array<{
  id: string;
  resolvedAt: string;
  callback: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'unreachable' | 'pending';
}> = [
  { id: A, resolvedAt: '2026-05-10T09:20:00Z', callback: 'satisfied' },
  { id: B, resolvedAt: '2026-05-10T09:40:00Z', callback: 'dissatisfied' },
  { id: C, resolvedAt: '2026-05-10T09:45:00Z', callback: 'pending' },
  { id: D, resolvedAt: '2026-05-10T10:05:00Z', callback: 'unreachable' },
  { id: E, resolvedAt: '2026-05-10T10:10:00Z', callback: 'basically_satisfied' },
  { id: F, resolvedAt: '2026-05-11T01:00:00Z', callback: 'satisfied' },
];

const series = (query: Record<string, string>, token = manager) =>
  request(h.baseUrl).get('/v1/kpis/series').query(query).set('Authorization', token);

const none = { value: null, numerator: 0, denominator: 0 };
const rate = (numerator: number, denominator: number) => ({
  value: Math.round((numerator / denominator) * 10_000) / 10_000,
  numerator,
  denominator,
});
const causes = (power_quality: number, staff_attitude: number, other: number) => ({
  power_quality,
  staff_attitude,
  other,
});

before(async () => {
  infra = await startTestInfra();
  h = await startFeedback(infra);
  await h.service.runtime.kafkaReady();
  publisher = new TestPublisher(infra.kafkaBrokers);
  await publisher.start();
  manager = await h.bearer('manager', 'M-0001');
  agent = await h.bearer('field_staff', 'A-0031');

  await publisher.publish(
    TOPICS.routed,
    ROUTINGS.map((data) => ({ data })),
  );
  await publisher.publish(
    TOPICS.resolved,
    RESOLUTIONS.map((r) => ({
      data: resolvedData(r.id, {
        channel: 'hotline',
        resolvedBy: { staffId: 'F-1', team: 'field_operations' },
        resolvedAt: r.resolvedAt,
      }),
    })),
  );
  for (const r of RESOLUTIONS) {
    const id = `CB-${r.id}-1`;
    await h.waitForTask(id);
    const post = (path: string, body: object) =>
      request(h.baseUrl).post(`/v1/callbacks/${id}/${path}`).set('Authorization', agent).send(body);
    if (r.callback === 'pending') continue;
    if (r.callback === 'unreachable') {
      for (let i = 0; i < 3; i++) assert.equal((await post('attempts', { result: 'no_answer' })).status, 200);
      continue;
    }
    const res = await post('outcome', {
      outcome: r.callback,
      ...(r.callback === 'dissatisfied' ? { reason: 'the voltage dropped again' } : {}),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
});

after(async () => {
  await publisher?.stop();
  await h?.service.stop();
  await infra?.stop();
});

/** The projection fills from two topics in parallel: poll until it settles, then compare exactly. */
async function settled(query: Record<string, string>, done: (body: any) => boolean) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const res = await series(query);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (done(res.body) || Date.now() > deadline) return res.body;
    await sleep(200);
  }
}

describe('KPI series', () => {
  test('hourly on 10 May: complaints by root cause of their first routing hour, callback and satisfaction rates per hour', async () => {
    const body = await settled(
      { from: '2026-05-10T08:00:00Z', to: '2026-05-10T12:00:00Z', bucket: 'hour' },
      (b) =>
        b.buckets[2]?.complaints.byRootCause.power_quality === 1 &&
        b.buckets[1]?.kpis.satisfactionRate.denominator === 2,
    );
    assert.deepEqual(body.period, { from: '2026-05-10T08:00:00.000Z', to: '2026-05-10T12:00:00.000Z' });
    assert.equal(body.bucket, 'hour');
    assert.deepEqual(body.rootCauses, ['power_quality', 'staff_attitude', 'other']);
    assert.deepEqual(body.buckets, [
      {
        from: '2026-05-10T08:00:00.000Z',
        to: '2026-05-10T09:00:00.000Z',
        complaints: { routed: 3, byRootCause: causes(2, 1, 0) },
        resolutions: 0,
        kpis: { callbackRate: none, satisfactionRate: none },
      },
      {
        from: '2026-05-10T09:00:00.000Z',
        to: '2026-05-10T10:00:00.000Z',
        complaints: { routed: 1, byRootCause: causes(0, 0, 1) },
        resolutions: 3,
        kpis: { callbackRate: rate(2, 3), satisfactionRate: rate(1, 2) },
      },
      {
        from: '2026-05-10T10:00:00.000Z',
        to: '2026-05-10T11:00:00.000Z',
        // E was first routed at 10:30 as "other"; its latest decision (11:15) says power quality.
        complaints: { routed: 1, byRootCause: causes(1, 0, 0) },
        resolutions: 2,
        kpis: { callbackRate: rate(2, 2), satisfactionRate: rate(1, 1) },
      },
      {
        from: '2026-05-10T11:00:00.000Z',
        to: '2026-05-10T12:00:00.000Z',
        complaints: { routed: 0, byRootCause: causes(0, 0, 0) },
        resolutions: 0,
        kpis: { callbackRate: none, satisfactionRate: none },
      },
    ]);
    assert.equal(body.buckets[1].kpis.callbackRate.value, 0.6667);
    for (const name of ['callbackRate', 'satisfactionRate', 'complaints', 'buckets'])
      assert.ok(body.definitions[name], `${name} is defined in the response`);
  });

  test('daily over 9–11 May; a bare `to` date includes that day', async () => {
    const body = await settled(
      { from: '2026-05-09', to: '2026-05-11', bucket: 'day' },
      (b) => b.buckets[2]?.resolutions === 1,
    );
    assert.deepEqual(body.period, { from: '2026-05-09T00:00:00.000Z', to: '2026-05-12T00:00:00.000Z' });
    assert.deepEqual(
      body.buckets.map((b: any) => [
        b.from.slice(0, 10),
        b.complaints.routed,
        b.complaints.byRootCause,
        b.resolutions,
        b.kpis,
      ]),
      [
        ['2026-05-09', 1, causes(0, 1, 0), 0, { callbackRate: none, satisfactionRate: none }],
        ['2026-05-10', 5, causes(3, 1, 1), 5, { callbackRate: rate(4, 5), satisfactionRate: rate(2, 3) }],
        ['2026-05-11', 1, causes(0, 0, 1), 1, { callbackRate: rate(1, 1), satisfactionRate: rate(1, 1) }],
      ],
    );
  });

  test('a period that does not start or end on the hour is widened to whole hours', async () => {
    const res = await series({ from: '2026-05-10T08:30:00Z', to: '2026-05-10T09:15:00+00:00' });
    assert.equal(res.status, 200);
    assert.equal(res.body.bucket, 'hour', 'hour is the default bucket');
    assert.deepEqual(res.body.period, { from: '2026-05-10T08:00:00.000Z', to: '2026-05-10T10:00:00.000Z' });
    assert.deepEqual(
      res.body.buckets.map((b: any) => b.complaints.routed),
      [3, 1],
    );
  });

  test('without a period: the last 24 hours by hour, the last 30 days by day', async () => {
    const hourly = await series({}, `Bearer ${h.creds.tokens.ops}`);
    assert.equal(hourly.status, 200);
    assert.ok([24, 25].includes(hourly.body.buckets.length), `${hourly.body.buckets.length} hourly buckets`);
    const daily = await series({ bucket: 'day' });
    assert.ok([30, 31].includes(daily.body.buckets.length), `${daily.body.buckets.length} daily buckets`);
  });

  test('bad parameters are a 400 naming the parameter; supervisors may not read KPIs', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ bucket: 'minute' }, '/bucket'],
      [{ from: 'last week' }, '/from'],
      [{ from: '2026-02-30' }, '/from'],
      [{ from: '2026-05-10', to: '2026-05-01' }, '/to'],
      [{ from: '2026-03-01', to: '2026-05-01', bucket: 'hour' }, '/to'],
      [{ from: '2024-01-01', to: '2026-01-01', bucket: 'day' }, '/to'],
      [{ granularity: 'hour' }, '/granularity'],
    ];
    for (const [query, field] of cases) {
      const res = await series(query);
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.type, 'application/problem+json');
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        `${JSON.stringify(query)} → ${JSON.stringify(res.body)}`,
      );
    }
    assert.equal((await series({}, await h.bearer('supervisor'))).status, 403);
    assert.equal((await request(h.baseUrl).get('/v1/kpis/series')).status, 401);
  });
});
