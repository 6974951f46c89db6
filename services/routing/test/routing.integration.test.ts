// Routing end to end: a complaint posted to intake arrives on complaints.routed.v1 classified, owned, graded and timed.
import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { TOPIC_SPECS, TOPICS, cloudEventOf, validate, type ComplaintRouted } from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import {
  EventCollector,
  makeTestCredentials,
  startTestInfra,
  type TestCredentials,
  type TestInfra,
  serviceTestEnv,
} from '@complaints/platform/testing';
import { start as startIntake, type IntakeService } from '@complaints/intake';
import { start as startRouting, type RoutingService } from '../src';

let infra: TestInfra;
let creds: TestCredentials;
let intake: IntakeService;
let routing: RoutingService;
let collector: EventCollector;
let intakeUrl: string;
let routingUrl: string;

const VIP = '7700000001';
const HOSPITAL = '7700000002';
const RURAL = '7700000003';

function env(database: string): NodeJS.ProcessEnv {
  return serviceTestEnv(infra, creds, database);
}

const post = (accountNo: string, text: string, location?: object) =>
  request(intakeUrl)
    .post('/v1/complaints')
    .set('X-Api-Key', creds.apiKeys.hotline)
    .set('Idempotency-Key', randomUUID())
    .send({ customer: { accountNo }, text, ...(location ? { location } : {}) });

const routedFor = (id: string, revision = 1) =>
  collector.waitFor(
    (ms) => ms.find((m) => m.key === id && (m.value as { data: ComplaintRouted }).data.revision === revision),
    30000,
    `routed event rev ${revision} of ${id}`,
  );

const staff = (role: 'ops' | 'supervisor' | 'manager' | 'field_staff') => `Bearer ${creds.tokens[role]}`;

before(async () => {
  infra = await startTestInfra();
  creds = await makeTestCredentials();
  intake = await startIntake({ env: env('intake') });
  routing = await startRouting({ env: env('routing') });
  intakeUrl = `http://127.0.0.1:${intake.port}`;
  routingUrl = `http://127.0.0.1:${routing.port}`;
  const imported = await request(routingUrl)
    .post('/v1/customers/import')
    .set('Authorization', staff('ops'))
    .send({
      csv: [
        'accountNo,segment,areaType,transformerArea,vulnerable,managerId,organisation',
        `${VIP},vip,urban,TA-0100,no,VIP-M01,市数据中心`,
        `${HOSPITAL},large,urban,TA-0200,no,LA-M02,市第一人民医院`,
        `${RURAL},ordinary,rural,TA-0412,yes,,`,
      ].join('\n'),
    });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  collector = new EventCollector(infra.kafkaBrokers, [TOPICS.routed]);
  await collector.start();
});

after(async () => {
  await collector?.stop();
  await routing?.stop();
  await intake?.stop();
  await infra?.stop();
});

describe('a posted complaint is routed', () => {
  test('a VIP with low voltage: power quality, field operations, VIP manager, important, 95598 deadlines', async () => {
    const res = await post(VIP, '机房这几天晚上电压只有178伏，UPS频繁报警，请尽快处理。');
    assert.equal(res.status, 202);
    const message = await routedFor(res.body.id);
    const check = validate(cloudEventOf(TOPICS.routed, TOPIC_SPECS[TOPICS.routed].schema), message.value);
    assert.deepEqual(check.ok ? [] : check.errors, []);
    const routed = (message.value as { data: ComplaintRouted }).data;
    assert.equal(routed.classification.rootCause, 'power_quality');
    assert.equal(routed.classification.subtype, 'voltage_low');
    assert.ok(routed.classification.reasons.length > 0);
    assert.equal(routed.team, 'field_operations');
    assert.deepEqual(routed.accountManager, { role: 'vip_customer_manager', managerId: 'VIP-M01' });
    assert.equal(routed.segment, 'vip');
    assert.equal(routed.grade, 'important');
    const receivedAt = Date.parse(res.body.receivedAt);
    assert.equal(Date.parse(routed.deadlines.dispatchBy) - receivedAt, 20 * 60_000);
    assert.equal(Date.parse(routed.deadlines.firstContactBy) - receivedAt, 24 * 3_600_000);
    assert.ok(Date.parse(routed.deadlines.resolveBy) - receivedAt >= 4 * 86_400_000);
    assert.equal(message.key, res.body.id);
    assert.match(message.headers.traceparent ?? '', /^00-/);
  });

  test('a rude agent at a rural vulnerable household: staff attitude, service quality, transformer-area manager', async () => {
    const res = await post(RURAL, '我打电话问停电的事，客服态度很差，没说两句就挂了我电话。', {
      transformerArea: 'TA-0412',
    });
    const routed = ((await routedFor(res.body.id)).value as { data: ComplaintRouted }).data;
    assert.equal(routed.classification.rootCause, 'staff_attitude');
    assert.equal(routed.team, 'service_quality');
    assert.deepEqual(routed.accountManager, { role: 'transformer_area_manager', managerId: 'TAM-TA-0412' });
    assert.equal(routed.vulnerable, true);
    assert.equal(routed.areaType, 'rural');
  });

  test('a hospital without power is urgent: on-site and restore limits, grade special', async () => {
    const res = await post(
      HOSPITAL,
      'The whole hospital has had no power for an hour and the backup generator is failing. Patients on ventilators!',
    );
    const routed = ((await routedFor(res.body.id)).value as { data: ComplaintRouted }).data;
    assert.equal(routed.classification.rootCause, 'power_quality');
    assert.equal(routed.classification.urgent, true);
    assert.equal(routed.grade, 'special');
    assert.equal(Date.parse(routed.deadlines.onSiteBy!) - Date.parse(res.body.receivedAt), 45 * 60_000);
    assert.ok(routed.deadlines.restoreBy);
  });

  test('a redelivered received event is routed once', async () => {
    const res = await post(RURAL, '电费怎么比上个月多了一倍？');
    const original = await routedFor(res.body.id);
    const received = await intake.repository.model.findById(res.body.id).lean().exec();
    const kafka = new Kafka({
      clientId: 'redeliver',
      brokers: infra.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const event = createEvent({
      topic: TOPICS.received,
      subject: res.body.id,
      source: '/services/intake',
      id: `${res.body.id}/received`,
      data: {
        complaintId: res.body.id,
        channel: 'hotline',
        customer: { accountNo: RURAL },
        text: received!.text,
        receivedAt: res.body.receivedAt,
      },
    });
    await producer.send({
      topic: TOPICS.received,
      messages: [{ key: res.body.id, value: JSON.stringify(event) }],
    });
    await producer.disconnect();
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(collector.messages.filter((m) => m.key === res.body.id).length, 1);
    assert.ok(original);
  });
});

describe('people at work', () => {
  test('a supervisor reclassifies: the history records it and a revision-2 routed event follows', async () => {
    const res = await post(RURAL, '抄表员说我家电表有问题，要换表，不换就停电。');
    await routedFor(res.body.id);
    const forbidden = await request(routingUrl)
      .post(`/v1/routing/${res.body.id}/reclassify`)
      .set('Authorization', staff('field_staff'))
      .send({ rootCause: 'staff_attitude', subtype: 'misconduct', reason: 'threat to cut supply' });
    assert.equal(forbidden.status, 403);
    const wrong = await request(routingUrl)
      .post(`/v1/routing/${res.body.id}/reclassify`)
      .set('Authorization', staff('supervisor'))
      .send({ rootCause: 'staff_attitude', subtype: 'billing', reason: 'mismatch' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.errors[0].field, '/subtype');
    const fixed = await request(routingUrl)
      .post(`/v1/routing/${res.body.id}/reclassify`)
      .set('Authorization', staff('supervisor'))
      .send({
        rootCause: 'staff_attitude',
        subtype: 'misconduct',
        reason: 'meter reader threatened to cut supply',
      });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    assert.equal(fixed.body.revision, 2);
    assert.equal(fixed.body.history.length, 2);
    const routed = ((await routedFor(res.body.id, 2)).value as { data: ComplaintRouted }).data;
    assert.equal(routed.classification.subtype, 'misconduct');
    assert.equal(routed.classification.decidedBy, 'staff:test-supervisor');
    assert.equal(routed.team, 'service_quality');
    const view = await request(routingUrl)
      .get(`/v1/routing/${res.body.id}`)
      .set('Authorization', staff('manager'));
    assert.equal(view.body.revision, 2);
    assert.match(view.body.decision.classification.reasons[0], /reclassified by test-supervisor/);
  });

  test('the third repeat of a closed matter is graded up and flagged for supervision', async () => {
    const account = '7711112222';
    const earlier: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(account, `晚上电压又低了，灯都是暗的（第${i + 1}次反映）。`);
      await routedFor(res.body.id);
      earlier.push(res.body.id);
    }
    const kafka = new Kafka({
      clientId: 'closer',
      brokers: infra.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.closed,
      messages: earlier.map((id) => ({
        key: id,
        value: JSON.stringify(
          createEvent({
            topic: TOPICS.closed,
            subject: id,
            source: '/services/feedback',
            data: {
              complaintId: id,
              callbackId: `CB-${id}`,
              outcome: 'satisfied',
              recordedBy: 'A-1',
              closedAt: new Date().toISOString(),
            },
          }),
        ),
      })),
    });
    await producer.disconnect();
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      const closed = await routing.deps.repository.model
        .countDocuments({ _id: { $in: earlier }, closedAt: { $exists: true } })
        .exec();
      if (closed === 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const res = await post(account, '电压还是低，已经是第四次投诉了！');
    const routed = ((await routedFor(res.body.id)).value as { data: ComplaintRouted }).data;
    assert.equal(routed.repeat.count, 3);
    assert.equal(routed.repeat.supervision, true);
    assert.deepEqual([...routed.repeat.previousComplaintIds].sort(), [...earlier].sort());
    assert.ok(['major', 'special'].includes(routed.grade));
    assert.ok(routed.gradeReasons.some((r) => r.includes('督办')));
  });

  test('ops can try the classifier without creating anything; other roles cannot', async () => {
    const ok = await request(routingUrl)
      .post('/v1/classify')
      .set('Authorization', staff('ops'))
      .send({ text: '电灯一直闪，电压忽高忽低' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.rootCause, 'power_quality');
    assert.ok(Array.isArray(ok.body.reasons));
    const no = await request(routingUrl)
      .post('/v1/classify')
      .set('Authorization', staff('manager'))
      .send({ text: 'x' });
    assert.equal(no.status, 403);
    const anon = await request(routingUrl).post('/v1/classify').send({ text: 'x' });
    assert.equal(anon.status, 401);
  });

  test('customer import rejects a bad row by line and field and imports nothing', async () => {
    const res = await request(routingUrl)
      .post('/v1/customers/import')
      .set('Authorization', staff('ops'))
      .send({ csv: 'accountNo,segment,areaType\n7799990001,vip,urban\n7799990002,platinum,urban\n' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].field, 'line 3/segment');
    const known = await request(routingUrl)
      .get('/v1/customers/7799990001')
      .set('Authorization', staff('ops'));
    assert.equal(known.body.segment, 'ordinary', 'the valid row was not imported either');
    const vip = await request(routingUrl).get(`/v1/customers/${VIP}`).set('Authorization', staff('manager'));
    assert.equal(vip.body.segment, 'vip');
    assert.equal(vip.body.organisation, '市数据中心');
  });
});
