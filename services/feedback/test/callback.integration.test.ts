// Callbacks end to end over Kafka and HTTP: a resolution opens a task, the customer's answer closes or reopens the complaint once.
import './support/telemetry';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { TOPICS, TOPIC_SPECS, cloudEventOf, validate } from '@complaints/contracts';
import {
  EventCollector,
  startTestInfra,
  type ReceivedMessage,
  type TestInfra,
} from '@complaints/platform/testing';
import { startFeedback, type Harness } from './support/feedback-harness';
import { TestPublisher, newComplaintId, receivedData, resolvedData } from './support/complaint-events';

let infra: TestInfra;
let h: Harness;
let collector: EventCollector;
let publisher: TestPublisher;
let agent: string;
let resolver: string;

before(async () => {
  infra = await startTestInfra();
  h = await startFeedback(infra);
  await h.service.runtime.kafkaReady();
  publisher = new TestPublisher(infra.kafkaBrokers);
  collector = new EventCollector(infra.kafkaBrokers, [TOPICS.closed, TOPICS.reopened]);
  await Promise.all([publisher.start(), collector.start()]);
  agent = await h.bearer('field_staff', 'A-0031', 'callback_desk');
  resolver = await h.bearer('field_staff', 'F-1021', 'field_operations');
});

after(async () => {
  await collector?.stop();
  await publisher?.stop();
  await h?.service.stop();
  await infra?.stop();
});

/** Publishes a resolution and waits for its callback task. */
async function resolve(overrides: Parameters<typeof resolvedData>[1] = {}, complaintId = newComplaintId()) {
  const data = resolvedData(complaintId, { channel: 'hotline', ...overrides });
  await publisher.publish(TOPICS.resolved, [{ data }]);
  const task = await h.waitForTask(`CB-${complaintId}-${data.attempt}`);
  return { complaintId, task, data };
}

const outcome = (id: string, body: object, token = agent) =>
  request(h.baseUrl).post(`/v1/callbacks/${id}/outcome`).set('Authorization', token).send(body);
const failedAttempt = (id: string, body: object = { result: 'no_answer' }, token = agent) =>
  request(h.baseUrl).post(`/v1/callbacks/${id}/attempts`).set('Authorization', token).send(body);

const eventsFor = (complaintId: string, topic: string) => (ms: ReceivedMessage[]) =>
  ms.filter((m) => m.topic === topic && m.key === complaintId);

async function waitForEvent(complaintId: string, topic: string, count = 1) {
  const found = await collector.waitFor(
    (ms) => {
      const mine = eventsFor(complaintId, topic)(ms);
      return mine.length >= count ? mine : undefined;
    },
    20000,
    `${count} ${topic} for ${complaintId}`,
  );
  for (const m of found) {
    const check = validate(
      cloudEventOf(topic, TOPIC_SPECS[topic as keyof typeof TOPIC_SPECS].schema),
      m.value,
    );
    assert.deepEqual(check.ok ? [] : check.errors, [], `${topic} matches its contract`);
  }
  return found.map((m) => m.value as { id: string; data: Record<string, any> });
}

describe('a resolved complaint gets a callback task', () => {
  test('with a 24 h deadline, the resolving staff, and the customer contact from the received event', async () => {
    const complaintId = newComplaintId();
    await publisher.publish(TOPICS.received, [
      {
        data: receivedData(complaintId, {
          customer: { accountNo: '5012087734', name: '张伟', phone: '13812345678' },
        }),
      },
    ]);
    const { task, data } = await resolve({ resolvedAt: '2026-11-21T09:30:00.000Z' }, complaintId);
    assert.equal(task.id, `CB-${complaintId}-1`);
    assert.equal(task.status, 'pending');
    assert.equal(task.dueAt, '2026-11-22T09:30:00.000Z');
    assert.deepEqual(task.resolvedBy, data.resolvedBy);
    assert.equal(task.grade, 'general');
    assert.equal(task.surveyLink, undefined, 'hotline customers are called, not sent a link');
    // The received event may be applied after the resolved one (another topic): wait for the contact.
    const deadline = Date.now() + 10000;
    let contact = task.customer;
    while (!contact && Date.now() < deadline) {
      await sleep(100);
      contact = (await h.waitForTask(task.id)).customer;
    }
    assert.deepEqual(contact, { name: '张伟', phone: '13812345678' });
  });

  test('the same resolved event delivered twice makes one task, and attempt 2 of the complaint makes a second', async () => {
    const complaintId = newComplaintId();
    const data = resolvedData(complaintId, { channel: 'hotline' });
    const [event] = await publisher.publish(TOPICS.resolved, [{ data }]);
    await publisher.publish(TOPICS.resolved, [{ data, id: event.id }]);
    await h.waitForTask(`CB-${complaintId}-1`);
    await publisher.publish(TOPICS.resolved, [
      { data: resolvedData(complaintId, { channel: 'hotline', attempt: 2 }) },
    ]);
    await h.waitForTask(`CB-${complaintId}-2`);
    assert.equal(await h.service.callbacks.model.countDocuments({ complaintId }).exec(), 2);
    const list = await request(h.baseUrl)
      .get('/v1/callbacks')
      .query({ complaintId })
      .set('Authorization', `Bearer ${h.creds.tokens.ops}`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((t: { id: string }) => t.id),
      [`CB-${complaintId}-1`, `CB-${complaintId}-2`],
    );
  });
});

describe('closing the loop', () => {
  test('a satisfied callback closes the complaint once: complaints.closed.v1 with who, when and the rating', async () => {
    const { complaintId, task } = await resolve();
    const first = await outcome(task.id, { outcome: 'satisfied', rating: 5 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.status, 'satisfied');
    assert.equal(first.body.outcome.recordedBy, 'A-0031');
    assert.equal(first.body.outcome.recordedVia, 'agent');
    const again = await outcome(task.id, { outcome: 'satisfied', rating: 5 });
    assert.equal(again.status, 200, 'recording the same outcome again is not an error');
    assert.equal(again.body.outcome.recordedAt, first.body.outcome.recordedAt);

    const [closed] = await waitForEvent(complaintId, TOPICS.closed);
    assert.equal(closed.id, `${task.id}/closed`);
    assert.deepEqual(closed.data, {
      complaintId,
      callbackId: task.id,
      outcome: 'satisfied',
      rating: 5,
      recordedBy: 'A-0031',
      closedAt: first.body.outcome.recordedAt,
    });
    await sleep(1000);
    assert.equal(eventsFor(complaintId, TOPICS.closed)(collector.messages).length, 1, 'one event, not two');

    const different = await outcome(task.id, { outcome: 'dissatisfied', reason: 'changed my mind' });
    assert.equal(different.status, 409);
    assert.equal(different.type, 'application/problem+json');
    assert.match(different.body.detail, /already ended as satisfied \(recorded by A-0031/);
  });

  test('a basically satisfied callback closes the complaint too', async () => {
    const { complaintId, task } = await resolve();
    assert.equal((await outcome(task.id, { outcome: 'basically_satisfied' })).status, 200);
    const [closed] = await waitForEvent(complaintId, TOPICS.closed);
    assert.equal(closed.data.outcome, 'basically_satisfied');
    assert.equal(closed.data.rating, undefined);
  });

  test('a dissatisfied callback reopens with the grade raised one level; the second one on the complaint goes to supervision', async () => {
    const complaintId = newComplaintId();
    const first = await resolve({ grade: 'important' }, complaintId);
    const res = await outcome(first.task.id, {
      outcome: 'dissatisfied',
      rating: 2,
      reason: 'Voltage dropped again.',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.reopen, {
      previousGrade: 'important',
      grade: 'major',
      reopenCount: 1,
      supervision: false,
    });
    const [reopened] = await waitForEvent(complaintId, TOPICS.reopened);
    assert.equal(reopened.id, `${first.task.id}/reopened`);
    assert.equal(reopened.data.reason, 'Voltage dropped again.');
    assert.equal(reopened.data.previousGrade, 'important');
    assert.equal(reopened.data.grade, 'major');
    assert.equal(reopened.data.reopenCount, 1);
    assert.equal(reopened.data.supervision, false);
    assert.equal(reopened.data.recordedBy, 'A-0031');

    // Resolution works the reopened complaint at the raised grade and resolves it again (attempt 2).
    const second = await resolve({ grade: 'major', attempt: 2 }, complaintId);
    assert.equal(second.task.status, 'pending', 'after a reopen, the next resolution gets a new callback');
    const res2 = await outcome(second.task.id, { outcome: 'dissatisfied', reason: 'Still flickering.' });
    assert.equal(res2.status, 200);
    const events = await waitForEvent(complaintId, TOPICS.reopened, 2);
    const secondReopen = events.find((e) => e.id === `${second.task.id}/reopened`)!;
    assert.equal(secondReopen.data.previousGrade, 'major');
    assert.equal(secondReopen.data.grade, 'special');
    assert.equal(secondReopen.data.reopenCount, 2);
    assert.equal(secondReopen.data.supervision, true);

    const third = await resolve({ grade: 'special', attempt: 3 }, complaintId);
    const res3 = await outcome(third.task.id, { outcome: 'dissatisfied', reason: 'No change.' });
    assert.deepEqual(res3.body.reopen, {
      previousGrade: 'special',
      grade: 'special',
      reopenCount: 3,
      supervision: true,
    });
  });

  test('three failed attempts make the callback unreachable and close the complaint as unreachable', async () => {
    const { complaintId, task } = await resolve();
    const one = await failedAttempt(task.id, { result: 'no_answer' });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.status, 'pending');
    assert.equal(one.body.failedAttempts, 1);
    const two = await request(h.baseUrl)
      .post(`/v1/callbacks/${task.id}/attempts`)
      .set('Authorization', agent)
      .set('Idempotency-Key', 'attempt-two')
      .send({ result: 'busy', note: 'line busy at 10:05' });
    const twoRetried = await request(h.baseUrl)
      .post(`/v1/callbacks/${task.id}/attempts`)
      .set('Authorization', agent)
      .set('Idempotency-Key', 'attempt-two')
      .send({ result: 'busy', note: 'line busy at 10:05' });
    assert.equal(two.body.failedAttempts, 2);
    assert.equal(
      twoRetried.body.failedAttempts,
      2,
      'a retried request with the same key records one attempt',
    );
    assert.equal(
      (await waitForEventCount(complaintId)).length,
      0,
      'nothing is emitted before the last attempt',
    );

    const three = await failedAttempt(task.id, { result: 'switched_off' });
    assert.equal(three.body.status, 'unreachable');
    assert.equal(three.body.failedAttempts, 3);
    assert.deepEqual(
      three.body.contactAttempts.map((a: { result: string }) => a.result),
      ['no_answer', 'busy', 'switched_off'],
    );
    const [closed] = await waitForEvent(complaintId, TOPICS.closed);
    assert.equal(closed.data.outcome, 'unreachable');
    assert.equal(closed.data.recordedBy, 'A-0031');

    const fourth = await failedAttempt(task.id);
    assert.equal(fourth.status, 409);
    const late = await outcome(task.id, { outcome: 'satisfied' });
    assert.equal(late.status, 409);
  });
});

async function waitForEventCount(complaintId: string) {
  await sleep(500);
  return collector.messages.filter((m) => m.key === complaintId);
}

describe('who may do what', () => {
  test('ops reads but may not record; field staff, managers and supervisors record; no token is 401', async () => {
    const { task } = await resolve();
    const ops = `Bearer ${h.creds.tokens.ops}`;
    assert.equal(
      (await request(h.baseUrl).get(`/v1/callbacks/${task.id}`).set('Authorization', ops)).status,
      200,
    );
    const opsRecord = await outcome(task.id, { outcome: 'satisfied' }, ops);
    assert.equal(opsRecord.status, 403);
    assert.match(opsRecord.body.detail, /Role ops may not/);
    assert.equal((await failedAttempt(task.id, { result: 'busy' }, ops)).status, 403);
    assert.equal((await request(h.baseUrl).get(`/v1/callbacks/${task.id}`)).status, 401);
    assert.equal(
      (await request(h.baseUrl).post(`/v1/callbacks/${task.id}/outcome`).send({ outcome: 'satisfied' }))
        .status,
      401,
    );
    const supervisor = await h.bearer('supervisor', 'S-0007');
    assert.equal((await failedAttempt(task.id, { result: 'busy' }, supervisor)).status, 200);
    const manager = await h.bearer('manager', 'M-0002');
    const managed = await outcome(task.id, { outcome: 'basically_satisfied' }, manager);
    assert.equal(managed.status, 200);
    assert.equal(managed.body.outcome.recordedBy, 'M-0002');
    assert.equal((await request(h.baseUrl).get('/v1/kpis').set('Authorization', agent)).status, 403);
    assert.equal((await request(h.baseUrl).get('/v1/staff-ratings').set('Authorization', agent)).status, 403);
  });

  test('the staff who resolved the case may not record its callback', async () => {
    const { task } = await resolve();
    const res = await outcome(task.id, { outcome: 'satisfied', rating: 5 }, resolver);
    assert.equal(res.status, 403);
    assert.match(res.body.detail, /F-1021 resolved this case/);
    assert.equal((await h.waitForTask(task.id)).status, 'pending');
  });

  test('an unknown task is 404', async () => {
    const res = await outcome(`CB-${newComplaintId()}-1`, { outcome: 'satisfied' });
    assert.equal(res.status, 404);
    assert.equal(res.type, 'application/problem+json');
  });
});

describe('bad input is a 400 naming the field, and changes nothing', () => {
  const cases: Array<[string, object, string]> = [
    ['dissatisfied without a reason', { outcome: 'dissatisfied' }, '/reason'],
    ['an unknown outcome', { outcome: 'delighted' }, '/outcome'],
    ['unreachable recorded directly', { outcome: 'unreachable' }, '/outcome'],
    ['a rating of 6', { outcome: 'satisfied', rating: 6 }, '/rating'],
    ['an unknown field', { outcome: 'satisfied', mood: 'ok' }, '/mood'],
  ];
  for (const [name, body, field] of cases) {
    test(name, async () => {
      const { task } = await resolve();
      const res = await outcome(task.id, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.type, 'application/problem+json');
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        JSON.stringify(res.body.errors),
      );
      assert.equal((await h.waitForTask(task.id)).status, 'pending');
    });
  }

  test('an attempt with an unknown result and a bad list filter', async () => {
    const { task } = await resolve();
    const res = await failedAttempt(task.id, { result: 'gave_up' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].field, '/result');
    const list = await request(h.baseUrl)
      .get('/v1/callbacks')
      .query({ status: 'done' })
      .set('Authorization', agent);
    assert.equal(list.status, 400);
    assert.equal(list.body.errors[0].field, '/status');
  });
});
