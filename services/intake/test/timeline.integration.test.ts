// The timeline: every lifecycle event of a complaint, from every service, in order, with actor and trace id.
import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { EXAMPLE_DATA, TOPICS, type TopicName } from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import { startTestInfra, type TestInfra } from '@complaints/platform/testing';
import { startIntake, type Harness } from './support/intake-harness';

let infra: TestInfra;
let h: Harness;

before(async () => {
  infra = await startTestInfra();
  h = await startIntake(infra);
  await h.service.runtime.kafkaReady();
});

/** Events of the test's topics (all but received) the intake service has handled so far. */
async function handledCount(): Promise<number> {
  const { values } = await h.service.runtime.metrics.consumed.get();
  return values
    .filter((v) => v.labels.outcome === 'handled' && v.labels.topic !== TOPICS.received)
    .reduce((sum, v) => sum + v.value, 0);
}

after(async () => {
  await h?.service.stop();
  await infra?.stop();
});

test('a complaint that was reopened and then closed shows every step in order, to ops and (trimmed) to its partner', async () => {
  const created = await request(h.baseUrl)
    .post('/v1/complaints')
    .set('X-Api-Key', h.creds.apiKeys.app)
    .set('Idempotency-Key', randomUUID())
    .send({ customer: { accountNo: '5012087734' }, text: '晚上电压只有180伏' });
  assert.equal(created.status, 202);
  const id: string = created.body.id;
  const t0 = Date.parse(created.body.receivedAt);
  const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
  const wo = `WO-${id}-1`;
  const steps: Array<[TopicName, Record<string, unknown>]> = [
    [TOPICS.routed, { ...EXAMPLE_DATA[TOPICS.routed], complaintId: id, routedAt: at(1) }],
    [TOPICS.activity, { ...EXAMPLE_DATA[TOPICS.activity], complaintId: id, at: at(5), workOrderId: wo }],
    [
      TOPICS.slaWarning,
      { ...EXAMPLE_DATA[TOPICS.slaWarning], complaintId: id, workOrderId: wo, warnedAt: at(18) },
    ],
    [
      TOPICS.resolved,
      { ...EXAMPLE_DATA[TOPICS.resolved], complaintId: id, workOrderId: wo, resolvedAt: at(60) },
    ],
    [TOPICS.reopened, { ...EXAMPLE_DATA[TOPICS.reopened], complaintId: id, reopenedAt: at(120) }],
    [
      TOPICS.resolved,
      {
        ...EXAMPLE_DATA[TOPICS.resolved],
        complaintId: id,
        workOrderId: `WO-${id}-2`,
        attempt: 2,
        resolvedAt: at(180),
      },
    ],
    [TOPICS.closed, { ...EXAMPLE_DATA[TOPICS.closed], complaintId: id, closedAt: at(240) }],
  ];
  const kafka = new Kafka({
    clientId: 'timeline-test',
    brokers: infra.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const handledBefore = await handledCount();
  const producer = kafka.producer();
  await producer.connect();
  // Published out of order across topics, as independent services would: the timeline orders by when things happened.
  for (const [topic, data] of [...steps].reverse()) {
    const event = createEvent({
      topic,
      subject: id,
      source: '/test',
      data,
      time: new Date(String(Object.values(data).find((v) => typeof v === 'string' && v.startsWith('20')))),
    });
    // Each event twice, as a redelivery after a crash would bring it: the copy must add no step.
    const message = {
      key: id,
      value: JSON.stringify(event),
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    };
    await producer.send({ topic, messages: [message, message] });
  }
  await producer.disconnect();

  let body: {
    status: string;
    steps: Array<{ step: string; at: string; actor: string; traceId?: string; details?: unknown }>;
  } = { status: '', steps: [] };
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    const res = await request(h.baseUrl)
      .get(`/v1/complaints/${id}/timeline`)
      .set('Authorization', `Bearer ${h.creds.tokens.ops}`);
    body = res.body;
    if (body.steps?.length >= 8 && (await handledCount()) - handledBefore >= steps.length * 2) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(
    body.steps.map((s) => s.step),
    [
      'complaint.received',
      'complaint.routed',
      'work_order.accepted',
      'sla.warning',
      'complaint.resolved',
      'complaint.reopened',
      'complaint.resolved',
      'complaint.closed',
    ],
  );
  const times = body.steps.map((s) => Date.parse(s.at));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
  assert.equal(body.steps[2].actor, 'staff:F-1021');
  assert.equal(body.steps[1].traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.ok(
    (body.steps[1].details as { reasons: string[] }).reasons.length > 0,
    'routing reasons are shown to ops',
  );
  assert.equal(body.status, 'closed');

  const partner = await request(h.baseUrl)
    .get(`/v1/complaints/${id}/timeline`)
    .set('X-Api-Key', h.creds.apiKeys.app);
  assert.equal(partner.status, 200);
  assert.equal(partner.body.steps.length, 8);
  assert.equal(partner.body.steps[2].actor, 'staff');
  assert.equal(partner.body.steps[1].details, undefined);
  const stranger = await request(h.baseUrl)
    .get(`/v1/complaints/${id}/timeline`)
    .set('X-Api-Key', h.creds.apiKeys.web);
  assert.equal(stranger.status, 404);
});
