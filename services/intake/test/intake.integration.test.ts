// Intake end to end over HTTP and the Kafka protocol: accepted complaints become events, nothing is lost, bad input stores nothing.
import { spans } from './support/telemetry';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import {
  EXAMPLE_DATA,
  TOPIC_SPECS,
  TOPICS,
  cloudEventOf,
  dlqTopic,
  validate,
  type ComplaintSubmission,
} from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import { EventCollector, startTestInfra, type TestInfra } from '@complaints/platform/testing';
import { startIntake, type Harness } from './support/intake-harness';

const complaint = (text = '每天晚上电压只有178伏，冰箱都启动不了。'): ComplaintSubmission => ({
  customer: { accountNo: '5012087734', name: '王小明', phone: '13812345678' },
  text,
  language: 'zh-Hans',
  location: { transformerArea: 'TA-0412', areaType: 'rural' },
});

let infra: TestInfra;
let h: Harness;
let collector: EventCollector;

const NO_KEY = Symbol('no Idempotency-Key');
const post = (body: unknown, key: string | typeof NO_KEY = randomUUID(), channel = 'hotline') => {
  let req = request(h.baseUrl).post('/v1/complaints').set('X-Api-Key', h.creds.apiKeys[channel]);
  if (key !== NO_KEY) req = req.set('Idempotency-Key', key);
  return req.send(body as object);
};

const storedCount = () => h.service.repository.model.countDocuments().exec();

before(async () => {
  infra = await startTestInfra();
  h = await startIntake(infra);
  await h.service.runtime.kafkaReady();
  collector = new EventCollector(infra.kafkaBrokers, [TOPICS.received, dlqTopic(TOPICS.routed)]);
  await collector.start();
});

after(async () => {
  await collector?.stop();
  await h?.service.stop();
  await infra?.stop();
});

describe('a partner posts a complaint', () => {
  test('it is answered 202 with a quotable id, and complaints.received.v1 carries it, keyed by id, in the same trace', async () => {
    const res = await post(complaint());
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.match(res.body.id, /^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    assert.equal(res.headers.location, `/v1/complaints/${res.body.id}`);
    assert.equal(res.body.status, 'received');

    const message = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.received && m.key === res.body.id),
      20000,
      'the received event',
    );
    const check = validate(cloudEventOf(TOPICS.received, TOPIC_SPECS[TOPICS.received].schema), message.value);
    assert.deepEqual(check.ok ? [] : check.errors, []);
    const event = message.value as {
      subject: string;
      data: { channel: string; text: string; customer: { accountNo: string } };
    };
    assert.equal(event.subject, res.body.id);
    assert.equal(event.data.channel, 'hotline', 'the channel comes from the API key');
    assert.equal(event.data.customer.accountNo, '5012087734');
    assert.equal(message.headers['content-type'], 'application/cloudevents+json; charset=utf-8');

    const traceparent = message.headers.traceparent;
    assert.match(traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    const traceId = traceparent.split('-')[1];
    const serverSpan = spans
      .getFinishedSpans()
      .find(
        (s) =>
          s.kind === SpanKind.SERVER &&
          s.attributes['http.route'] === '/v1/complaints' &&
          s.spanContext().traceId === traceId,
      );
    assert.ok(serverSpan, 'the Kafka traceparent belongs to the trace of the HTTP request');
    const publishSpan = spans
      .getFinishedSpans()
      .find((s) => s.name === `send ${TOPICS.received}` && s.spanContext().traceId === traceId);
    assert.ok(publishSpan, 'the outbox relay recorded a producer span in the same trace');
  });

  test('a retry with the same Idempotency-Key and body returns the original answer and publishes once', async () => {
    const key = randomUUID();
    const first = await post(complaint('Lights flicker every evening since the new factory opened.'), key);
    const retry = await post(complaint('Lights flicker every evening since the new factory opened.'), key);
    assert.equal(first.status, 202);
    assert.equal(retry.status, 202);
    assert.deepEqual(retry.body, first.body);
    assert.equal(await h.service.repository.model.countDocuments({ _id: first.body.id }).exec(), 1);
    await collector.waitFor((ms) => ms.some((m) => m.key === first.body.id), 20000, 'the event');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(
      collector.messages.filter((m) => m.topic === TOPICS.received && m.key === first.body.id).length,
      1,
    );
  });

  test('the same Idempotency-Key with a different body is a 409 and stores nothing new', async () => {
    const key = randomUUID();
    const first = await post(complaint('电压太低'), key);
    const before = await storedCount();
    const clash = await post(complaint('电压太高'), key);
    assert.equal(first.status, 202);
    assert.equal(clash.status, 409);
    assert.equal(clash.type, 'application/problem+json');
    assert.match(clash.body.detail, /different body/);
    assert.equal(await storedCount(), before);
  });

  test("a retry sent through the Express route (a browser, with an Origin) gets the direct route's original answer", async () => {
    const key = randomUUID();
    const body = complaint('供电所的人态度很差，挂我电话。');
    const first = await post(body, key);
    const retry = await post(body, key).set('Origin', 'http://console.test');
    assert.equal(first.status, 202);
    assert.equal(retry.status, 202);
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers.location, first.headers.location);
    assert.equal(retry.headers['content-type'], first.headers['content-type']);
  });

  test('the same Idempotency-Key from two channels names two complaints', async () => {
    const key = randomUUID();
    const a = await post(complaint(), key, 'hotline');
    const b = await post(complaint(), key, 'wechat');
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    assert.notEqual(a.body.id, b.body.id);
  });
});

describe('reading a complaint', () => {
  test("a partner sees its own complaint's status, not another channel's; ops sees all", async () => {
    const created = await post(complaint(), randomUUID(), 'app');
    const own = await request(h.baseUrl)
      .get(`/v1/complaints/${created.body.id}`)
      .set('X-Api-Key', h.creds.apiKeys.app);
    assert.equal(own.status, 200);
    assert.equal(own.body.status, 'received');
    assert.equal(own.body.channel, 'app');
    const other = await request(h.baseUrl)
      .get(`/v1/complaints/${created.body.id}`)
      .set('X-Api-Key', h.creds.apiKeys.web);
    assert.equal(other.status, 404);
    const ops = await request(h.baseUrl)
      .get(`/v1/complaints/${created.body.id}`)
      .set('Authorization', `Bearer ${h.creds.tokens.ops}`);
    assert.equal(ops.status, 200);
    const field = await request(h.baseUrl)
      .get(`/v1/complaints/${created.body.id}`)
      .set('Authorization', `Bearer ${h.creds.tokens.field_staff}`);
    assert.equal(field.status, 403);
  });
});

describe('bad input gets a clear 4xx problem and stores nothing', () => {
  const cases: Array<{ name: string; send: () => request.Test; status: number; field?: string }> = [
    {
      name: 'malformed JSON',
      send: () =>
        request(h.baseUrl)
          .post('/v1/complaints')
          .set('X-Api-Key', h.creds.apiKeys.hotline)
          .set('Idempotency-Key', randomUUID())
          .set('Content-Type', 'application/json')
          .send('{"customer": {"accountNo": "1"}, "text": '),
      status: 400,
      field: '/',
    },
    {
      name: 'a wrong type',
      send: () => post({ customer: { accountNo: '1' }, text: 42 }),
      status: 400,
      field: '/text',
    },
    {
      name: 'a missing required field',
      send: () => post({ text: 'no customer' }),
      status: 400,
      field: '/customer',
    },
    {
      name: 'an unknown field',
      send: () => post({ ...complaint(), channel: 'vip' }),
      status: 400,
      field: '/channel',
    },
    {
      name: 'text over 5,000 characters',
      send: () => post(complaint('电'.repeat(5001))),
      status: 400,
      field: '/text',
    },
    {
      name: 'an oversize body',
      send: () => post({ ...complaint(), externalRef: 'x'.repeat(70_000) }),
      status: 413,
    },
    {
      name: 'a missing Idempotency-Key',
      send: () => post(complaint(), NO_KEY),
      status: 400,
      field: 'Idempotency-Key',
    },
    { name: 'an array instead of an object', send: () => post([complaint()]), status: 400, field: '/' },
    {
      name: 'a body that is not JSON',
      send: () =>
        request(h.baseUrl)
          .post('/v1/complaints')
          .set('X-Api-Key', h.creds.apiKeys.hotline)
          .set('Idempotency-Key', randomUUID())
          .set('Content-Type', 'text/plain')
          .send('voltage low'),
      status: 415,
      field: 'content-type',
    },
    {
      name: 'a missing API key',
      send: () =>
        request(h.baseUrl).post('/v1/complaints').set('Idempotency-Key', randomUUID()).send(complaint()),
      status: 401,
    },
    {
      name: 'a wrong API key',
      send: () =>
        request(h.baseUrl)
          .post('/v1/complaints')
          .set('X-Api-Key', 'ck_hotline_not-a-real-key')
          .set('Idempotency-Key', randomUUID())
          .send(complaint()),
      status: 401,
    },
    {
      name: 'a staff token instead of a partner key',
      send: () =>
        request(h.baseUrl)
          .post('/v1/complaints')
          .set('Authorization', `Bearer ${h.creds.tokens.ops}`)
          .set('Idempotency-Key', randomUUID())
          .send(complaint()),
      status: 403,
    },
  ];
  // POST /v1/complaints is answered by a direct route; a request with an Origin takes the Express route. Both must agree.
  const paths = [
    { name: 'direct', via: (r: request.Test) => r },
    { name: 'express', via: (r: request.Test) => r.set('Origin', 'http://console.test') },
  ];
  for (const c of cases)
    for (const path of paths) {
      test(`${c.name} → ${c.status} (${path.name} route)`, async () => {
        const before = await storedCount();
        const res = await path.via(c.send());
        assert.equal(res.status, c.status, JSON.stringify(res.body));
        assert.equal(res.type, 'application/problem+json');
        assert.equal(res.body.status, c.status);
        assert.ok(res.body.title && res.body.detail, 'problem has a title and detail');
        if (c.field)
          assert.ok(
            res.body.errors?.some((e: { field: string }) => e.field === c.field),
            JSON.stringify(res.body.errors),
          );
        assert.equal(await storedCount(), before);
      });
    }
});

describe('reliability', () => {
  test('with Kafka down a complaint is still accepted (202), and its event is published once the broker is back', async () => {
    await infra.kafkaOutage();
    let id: string;
    try {
      const res = await post(complaint('停电了，整个小区都没电。'));
      assert.equal(res.status, 202);
      id = res.body.id;
      const stored = await h.service.repository.model.findById(id).lean().exec();
      assert.equal(stored?.outbox.length, 1, 'the event waits in the outbox');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(
        collector.messages.some((m) => m.key === id),
        false,
      );
    } finally {
      await infra.kafkaRestore();
    }
    await collector.waitFor((ms) => ms.some((m) => m.key === id), 60000, 'the event after the outage');
    // The relay removes an event from its document once Kafka acknowledged it, so just after it was seen.
    const deadline = Date.now() + 10_000;
    let stored = await h.service.repository.model.findById(id).lean().exec();
    while (stored?.outbox.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      stored = await h.service.repository.model.findById(id).lean().exec();
    }
    assert.equal(stored?.outbox.length, 0, 'published events leave the outbox');
  });

  test('a poison message on a consumed topic goes to its DLQ with the reason, and the consumer keeps going', async () => {
    const created = await post(complaint());
    const kafka = new Kafka({
      clientId: 'poison-test',
      brokers: infra.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const routed = createEvent({
      topic: TOPICS.routed,
      subject: created.body.id,
      source: '/services/routing',
      data: { ...EXAMPLE_DATA[TOPICS.routed], complaintId: created.body.id },
    });
    await producer.send({
      topic: TOPICS.routed,
      messages: [
        { key: created.body.id, value: '{not json' },
        {
          key: created.body.id,
          value: JSON.stringify({ ...routed, data: { complaintId: created.body.id } }),
        },
        { key: created.body.id, value: JSON.stringify(routed) },
      ],
    });
    await producer.disconnect();

    const dead = await collector.waitFor(
      (ms) => {
        const d = ms.filter((m) => m.topic === dlqTopic(TOPICS.routed) && m.key === created.body.id);
        return d.length >= 2 ? d : undefined;
      },
      30000,
      'two dead letters',
    );
    assert.match(dead[0].headers['dlq-reason'], /not JSON/);
    assert.match(dead[1].headers['dlq-reason'], /invalid complaints\.routed\.v1 data: .*is required/);
    assert.equal(dead[0].headers['dlq-source-topic'], TOPICS.routed);
    assert.equal(dead[0].raw, '{not json');

    // The valid event behind the poison was still applied.
    const deadline = Date.now() + 20000;
    let status = '';
    while (Date.now() < deadline) {
      const res = await request(h.baseUrl)
        .get(`/v1/complaints/${created.body.id}`)
        .set('X-Api-Key', h.creds.apiKeys.hotline);
      status = res.body.status;
      if (status === 'routed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 'routed');
  });
});

describe('operations', () => {
  test('/healthz answers, /readyz reports MongoDB and Kafka, /metrics needs an ops token', async () => {
    assert.equal((await request(h.baseUrl).get('/healthz')).status, 200);
    const ready = await request(h.baseUrl).get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { mongodb: true, kafka: true });
    assert.equal((await request(h.baseUrl).get('/metrics')).status, 401);
    const metrics = await request(h.baseUrl)
      .get('/metrics')
      .set('Authorization', `Bearer ${h.creds.tokens.ops}`);
    assert.equal(metrics.status, 200);
    assert.match(
      metrics.text,
      /events_published_total\{topic="complaints.received.v1",service="intake"\} \d+/,
    );
  });

  test('the OpenAPI document is served with the intake endpoints, and a docs page renders', async () => {
    const doc = await request(h.baseUrl).get('/openapi.json');
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(doc.body.paths['/v1/complaints'].post.requestBody);
    const page = await request(h.baseUrl).get('/docs/');
    assert.equal(page.status, 200);
    assert.match(page.text, /swagger-ui/);
  });

  test('logs never contain the customer phone number or full name', async () => {
    await post({ ...complaint('我的电话13812345678，请回电'), externalRef: 'x' });
    h.service.runtime.logger.info(
      { customer: { name: '王小明', phone: '13812345678' }, text: '请拨13812345678' },
      'probe',
    );
    const all = h.logs.join('');
    assert.match(all, /"probe"/);
    assert.doesNotMatch(all, /13812345678/);
    assert.doesNotMatch(all, /王小明/);
    assert.match(all, /138\*\*\*\*5678/);
  });

  test('each API key has its own rate limit', async () => {
    const limited = await startIntake(infra, {
      RATE_LIMIT_PER_SECOND: '0.05',
      RATE_LIMIT_WINDOW_MS: '60000',
      KAFKA_GROUP_PREFIX: 'rate-limit-test-',
    });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        const res = await request(limited.baseUrl)
          .get('/v1/complaints/CMP-0000-0000-0000-0000')
          .set('X-Api-Key', limited.creds.apiKeys.sms);
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [404, 404, 404, 429, 429]);
      // Submissions spend the same key's budget, on the direct route as on Express.
      for (const origin of [undefined, 'http://console.test']) {
        let post = request(limited.baseUrl)
          .post('/v1/complaints')
          .set('X-Api-Key', limited.creds.apiKeys.sms)
          .set('Idempotency-Key', randomUUID());
        if (origin) post = post.set('Origin', origin);
        const refused = await post.send(complaint());
        assert.equal(refused.status, 429, `${origin ?? 'direct'}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.type, 'application/problem+json');
        assert.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After says when to come back');
        assert.match(refused.headers['ratelimit'], /r=0/);
      }
      const other = await request(limited.baseUrl)
        .get('/v1/complaints/CMP-0000-0000-0000-0000')
        .set('X-Api-Key', limited.creds.apiKeys.web);
      assert.equal(other.status, 404, 'another key is not limited by the first');
    } finally {
      await limited.service.stop();
    }
  });
});
