// KPIs and staff ratings from a known set of events: every figure is checked exactly, so a wrong definition fails.
import './support/telemetry';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import {
  TOPICS,
  type AreaType,
  type ComplaintRouted,
  type Grade,
  type RootCause,
  type Subtype,
} from '@complaints/contracts';
import { startTestInfra, type TestInfra } from '@complaints/platform/testing';
import { startFeedback, type Harness } from './support/feedback-harness';
import {
  TestPublisher,
  newComplaintId,
  receivedData,
  resolvedData,
  routedData,
} from './support/complaint-events';

let infra: TestInfra;
let h: Harness;
let publisher: TestPublisher;
let manager: string;
let agent: string;

const [C1, C2, C3, C4, C5, C6, C7, C8] = Array.from({ length: 8 }, newComplaintId);

function routed(
  complaintId: string,
  revision: number,
  rootCause: RootCause,
  subtype: Subtype,
  grade: Grade,
  areaType: AreaType,
  transformerArea: string | undefined,
  routedAt: string,
): ComplaintRouted {
  return routedData(complaintId, {
    revision,
    classification: { ...routedData(complaintId).classification, rootCause, subtype },
    grade,
    areaType,
    location: transformerArea ? { transformerArea, areaType } : undefined,
    routedAt,
  });
}

interface Resolution {
  complaintId: string;
  attempt: number;
  staffId: string;
  team: string;
  onTime: boolean;
  resolvedAt: string;
  terminated?: boolean;
}

/** Seven resolutions in March, one in April; eight complaints, seven first routed in March. */
const RESOLUTIONS: Resolution[] = [
  {
    complaintId: C1,
    attempt: 1,
    staffId: 'F-1',
    team: 'field_operations',
    onTime: true,
    resolvedAt: '2026-03-05T10:00:00Z',
  },
  {
    complaintId: C2,
    attempt: 1,
    staffId: 'F-1',
    team: 'field_operations',
    onTime: false,
    resolvedAt: '2026-03-08T10:00:00Z',
  },
  {
    complaintId: C2,
    attempt: 2,
    staffId: 'F-2',
    team: 'field_operations',
    onTime: true,
    resolvedAt: '2026-03-20T10:00:00Z',
  },
  {
    complaintId: C3,
    attempt: 1,
    staffId: 'S-1',
    team: 'service_quality',
    onTime: true,
    resolvedAt: '2026-03-10T10:00:00Z',
  },
  {
    complaintId: C4,
    attempt: 1,
    staffId: 'B-1',
    team: 'business_office',
    onTime: true,
    resolvedAt: '2026-03-31T23:59:59Z',
  },
  {
    complaintId: C5,
    attempt: 1,
    staffId: 'F-2',
    team: 'field_operations',
    onTime: false,
    resolvedAt: '2026-03-25T10:00:00Z',
    terminated: true,
  },
  {
    complaintId: C6,
    attempt: 1,
    staffId: 'F-1',
    team: 'field_operations',
    onTime: true,
    resolvedAt: '2026-03-02T10:00:00Z',
  },
  {
    complaintId: C8,
    attempt: 1,
    staffId: 'B-1',
    team: 'business_office',
    onTime: true,
    resolvedAt: '2026-04-02T10:00:00Z',
  },
];

const kpis = (query: Record<string, string>, token = manager) =>
  request(h.baseUrl).get('/v1/kpis').query(query).set('Authorization', token);
const ratings = (query: Record<string, string>, token = manager) =>
  request(h.baseUrl).get('/v1/staff-ratings').query(query).set('Authorization', token);

before(async () => {
  infra = await startTestInfra();
  h = await startFeedback(infra);
  await h.service.runtime.kafkaReady();
  publisher = new TestPublisher(infra.kafkaBrokers);
  await publisher.start();
  manager = await h.bearer('manager', 'M-0001');
  agent = await h.bearer('field_staff', 'A-0031');

  await publisher.publish(TOPICS.received, [
    { data: receivedData(C3, { location: { transformerArea: 'TA-0200', areaType: 'urban' } }) },
    { data: receivedData(C4, { location: undefined }) },
  ]);
  const c1 = routed(
    C1,
    1,
    'power_quality',
    'voltage_low',
    'general',
    'rural',
    'TA-0412',
    '2026-03-01T00:00:00Z',
  );
  await publisher.publish(TOPICS.routed, [
    { data: c1, id: 'routed-c1' },
    { data: c1, id: 'routed-c1' }, // redelivered
    { data: routed(C2, 1, 'other', 'billing', 'general', 'urban', 'TA-0999', '2026-03-07T00:00:00Z') },
    {
      data: routed(
        C2,
        2,
        'power_quality',
        'interruption',
        'important',
        'urban',
        'TA-0100',
        '2026-03-07T06:00:00Z',
      ),
    },
    {
      data: routed(
        C3,
        1,
        'staff_attitude',
        'rudeness',
        'general',
        'urban',
        undefined,
        '2026-03-09T00:00:00Z',
      ),
    },
    { data: routed(C4, 1, 'other', 'billing', 'general', 'remote', undefined, '2026-03-30T00:00:00Z') },
    // Revisions 3 then 2 of C5: the late, older decision must not replace the newer one.
    {
      data: routed(
        C5,
        1,
        'power_quality',
        'voltage_low',
        'general',
        'rural',
        'TA-0412',
        '2026-03-21T00:00:00Z',
      ),
    },
    {
      data: routed(
        C5,
        3,
        'power_quality',
        'voltage_high',
        'major',
        'rural',
        'TA-0412',
        '2026-03-23T00:00:00Z',
      ),
    },
    {
      data: routed(
        C5,
        2,
        'power_quality',
        'fluctuation_flicker',
        'important',
        'rural',
        'TA-0412',
        '2026-03-22T00:00:00Z',
      ),
    },
    {
      data: routed(
        C6,
        1,
        'power_quality',
        'voltage_low',
        'general',
        'rural',
        'TA-0412',
        '2026-02-25T00:00:00Z',
      ),
    },
    {
      data: routed(
        C7,
        1,
        'staff_attitude',
        'negligence',
        'important',
        'urban',
        'TA-0100',
        '2026-03-15T00:00:00Z',
      ),
    },
    { data: routed(C8, 1, 'other', 'billing', 'general', 'urban', 'TA-0100', '2026-03-31T12:00:00Z') },
  ]);
  await publisher.publish(
    TOPICS.resolved,
    RESOLUTIONS.map((r) => ({
      data: resolvedData(r.complaintId, {
        attempt: r.attempt,
        channel: 'hotline',
        resolvedBy: { staffId: r.staffId, team: r.team },
        onTime: r.onTime,
        resolvedAt: new Date(r.resolvedAt).toISOString(),
        ...(r.terminated ? { terminated: true } : {}),
      }),
    })),
  );
  for (const r of RESOLUTIONS) await h.waitForTask(`CB-${r.complaintId}-${r.attempt}`);

  const outcome = async (id: string, body: object) => {
    const res = await request(h.baseUrl)
      .post(`/v1/callbacks/${id}/outcome`)
      .set('Authorization', agent)
      .send(body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  await outcome(`CB-${C1}-1`, { outcome: 'satisfied', rating: 5 });
  await outcome(`CB-${C2}-1`, { outcome: 'dissatisfied', rating: 2, reason: 'still out at night' });
  await outcome(`CB-${C2}-2`, { outcome: 'basically_satisfied', rating: 4 });
  for (let i = 0; i < 3; i++) {
    const res = await request(h.baseUrl)
      .post(`/v1/callbacks/CB-${C3}-1/attempts`)
      .set('Authorization', agent)
      .send({ result: 'no_answer' });
    assert.equal(res.status, 200);
  }
  await outcome(`CB-${C5}-1`, { outcome: 'satisfied' });
  await outcome(`CB-${C6}-1`, { outcome: 'dissatisfied', rating: 1, reason: 'nobody came' });
  await outcome(`CB-${C8}-1`, { outcome: 'satisfied', rating: 5 });
  // C4's callback stays pending.
});

after(async () => {
  await publisher?.stop();
  await h?.service.stop();
  await infra?.stop();
});

/** The projection fills from three topics in parallel: poll until it settles, then compare exactly. */
async function settled(query: Record<string, string>, expected: (body: any) => boolean) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const res = await kpis(query);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (expected(res.body) || Date.now() > deadline) return res.body;
    await sleep(200);
  }
}

describe('KPIs over March 2026', () => {
  test('every figure matches the known events', async () => {
    const body = await settled(
      { from: '2026-03-01', to: '2026-03-31' },
      (b) =>
        b.complaints.routed === 7 &&
        b.complaints.reclassified === 2 &&
        b.complaints.byTransformerArea['TA-0200'] === 1 &&
        b.complaints.bySubtype.voltage_high === 1,
    );
    assert.deepEqual(body.period, { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    assert.deepEqual(body.resolutions, {
      total: 7,
      onTime: 5,
      terminated: 1,
      callbacks: { pending: 1, satisfied: 2, basically_satisfied: 1, dissatisfied: 2, unreachable: 1 },
    });
    assert.deepEqual(body.kpis, {
      callbackRate: { value: 0.8571, numerator: 6, denominator: 7 },
      satisfactionRate: { value: 0.6, numerator: 3, denominator: 5 },
      onTimeResolutionRate: { value: 0.7143, numerator: 5, denominator: 7 },
      reopenRate: { value: 0.2857, numerator: 2, denominator: 7 },
      reclassificationRate: { value: 0.2857, numerator: 2, denominator: 7 },
    });
    assert.deepEqual(body.complaints, {
      routed: 7,
      reclassified: 2,
      byRootCause: { other: 2, power_quality: 3, staff_attitude: 2 },
      bySubtype: { billing: 2, interruption: 1, negligence: 1, rudeness: 1, voltage_high: 1, voltage_low: 1 },
      byGrade: { general: 4, important: 2, major: 1 },
      byAreaType: { remote: 1, rural: 2, urban: 4 },
      byTransformerArea: { 'TA-0100': 3, 'TA-0200': 1, 'TA-0412': 2, unknown: 1 },
    });
    for (const name of Object.keys(body.kpis))
      assert.ok(body.definitions[name], `${name} is defined in the response`);
  });

  test('another period counts only its own resolutions and complaints; ops may read, supervisors may not', async () => {
    const april = await settled({ from: '2026-04-01', to: '2026-04-30' }, (b) => b.resolutions.total === 1);
    assert.equal(april.resolutions.total, 1);
    assert.equal(april.resolutions.callbacks.satisfied, 1);
    assert.deepEqual(april.kpis.satisfactionRate, { value: 1, numerator: 1, denominator: 1 });
    assert.deepEqual(april.kpis.reclassificationRate, { value: null, numerator: 0, denominator: 0 });
    const ops = await kpis(
      { from: '2026-02-01T00:00:00+08:00', to: '2026-03-01T00:00:00+08:00' },
      `Bearer ${h.creds.tokens.ops}`,
    );
    assert.equal(ops.status, 200);
    assert.equal(ops.body.complaints.routed, 1, 'C6 was routed in February');
    assert.equal((await kpis({}, await h.bearer('supervisor'))).status, 403);
  });

  test('bad periods are a 400 naming the parameter', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ from: 'last week' }, '/from'],
      [{ from: '2026-02-30' }, '/from'],
      [{ from: '2026-03-10', to: '2026-03-01' }, '/to'],
      [{ since: '2026-03-01' }, '/since'],
    ];
    for (const [query, field] of cases) {
      const res = await kpis(query);
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.type, 'application/problem+json');
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        JSON.stringify(res.body),
      );
    }
  });
});

describe('staff ratings over March 2026', () => {
  const row = (staffId: string | undefined, team: string | null, figures: Record<string, number | null>) => ({
    ...(staffId ? { staffId } : {}),
    team,
    callbacks: 0,
    pending: 0,
    satisfied: 0,
    basically_satisfied: 0,
    dissatisfied: 0,
    unreachable: 0,
    ratings: 0,
    averageRating: null,
    satisfactionRate: null,
    ...figures,
  });

  test('per staff member: outcomes and ratings of the cases each one resolved', async () => {
    const res = await ratings({ from: '2026-03-01', to: '2026-03-31' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.groupBy, 'staff');
    assert.deepEqual(res.body.rows, [
      row('F-1', 'field_operations', {
        callbacks: 3,
        satisfied: 1,
        dissatisfied: 2,
        ratings: 3,
        averageRating: 2.67,
        satisfactionRate: 0.3333,
      }),
      row('F-2', 'field_operations', {
        callbacks: 2,
        satisfied: 1,
        basically_satisfied: 1,
        ratings: 1,
        averageRating: 4,
        satisfactionRate: 1,
      }),
      row('B-1', 'business_office', { callbacks: 1, pending: 1 }),
      row('S-1', 'service_quality', { callbacks: 1, unreachable: 1 }),
    ]);
  });

  test('per team', async () => {
    const res = await ratings(
      { from: '2026-03-01', to: '2026-03-31', groupBy: 'team' },
      `Bearer ${h.creds.tokens.supervisor}`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.rows, [
      row(undefined, 'field_operations', {
        callbacks: 5,
        satisfied: 2,
        basically_satisfied: 1,
        dissatisfied: 2,
        ratings: 4,
        averageRating: 3,
        satisfactionRate: 0.6,
      }),
      row(undefined, 'business_office', { callbacks: 1, pending: 1 }),
      row(undefined, 'service_quality', { callbacks: 1, unreachable: 1 }),
    ]);
    const bad = await ratings({ groupBy: 'region' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].field, '/groupBy');
  });
});

describe('the complaint facts behind the KPIs', () => {
  test('an older decision arriving late keeps the newer one but still moves the first routing time back', async () => {
    const id = newComplaintId();
    const now = new Date('2026-04-02T00:00:00Z');
    const newer = routed(
      id,
      2,
      'staff_attitude',
      'rudeness',
      'important',
      'urban',
      undefined,
      '2026-04-01T10:00:00Z',
    );
    const older = routed(
      id,
      1,
      'power_quality',
      'voltage_low',
      'general',
      'rural',
      'TA-0007',
      '2026-03-31T23:00:00Z',
    );
    await h.service.facts.applyRouted(newer, now);
    await h.service.facts.applyRouted(older, now);
    const facts = await h.service.facts.model.findById(id).lean().exec();
    assert.deepEqual(
      {
        revision: facts?.revision,
        maxRevision: facts?.maxRevision,
        rootCause: facts?.rootCause,
        grade: facts?.grade,
        transformerArea: facts?.transformerArea,
        firstRoutedAt: facts?.firstRoutedAt?.toISOString(),
      },
      {
        revision: 2,
        maxRevision: 2,
        rootCause: 'staff_attitude',
        grade: 'important',
        transformerArea: undefined,
        firstRoutedAt: '2026-03-31T23:00:00.000Z',
      },
    );
  });
});
