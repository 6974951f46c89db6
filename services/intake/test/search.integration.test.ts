// Complaint search for staff: filters on account, status, routing grade and root cause, channel and time; cursor pages.
import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import request from 'supertest';
import {
  EXAMPLE_DATA,
  TOPICS,
  type ComplaintReopened,
  type ComplaintRouted,
  type Grade,
  type RootCause,
} from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import { startTestInfra, type TestInfra } from '@complaints/platform/testing';
import { startIntake, type Harness } from './support/intake-harness';

const CONSOLE_ORIGIN = 'http://console.example:8080';
const ACCOUNT = `77${Date.now().toString().slice(-8)}`;
const OTHER_ACCOUNT = `88${Date.now().toString().slice(-8)}`;

let infra: TestInfra;
let h: Harness;
let producer: Producer;
/** Complaint ids in the order they were posted (oldest first). */
const posted: Array<{ id: string; channel: string; accountNo: string; receivedAt: string }> = [];

const ops = () => `Bearer ${h.creds.tokens.ops}`;
const search = (query: Record<string, string>, auth: [string, string] = ['Authorization', ops()]) =>
  request(h.baseUrl)
    .get('/v1/complaints')
    .query(query)
    .set(...auth);

async function post(channel: string, accountNo: string, text: string): Promise<string> {
  const res = await request(h.baseUrl)
    .post('/v1/complaints')
    .set('X-Api-Key', h.creds.apiKeys[channel])
    .set('Idempotency-Key', randomUUID())
    .send({ customer: { accountNo }, text });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  posted.push({ id: res.body.id, channel, accountNo, receivedAt: res.body.receivedAt });
  // Distinct received times keep "newest first" unambiguous for the assertions.
  await sleep(5);
  return res.body.id as string;
}

async function publishRouted(id: string, revision: number, rootCause: RootCause, grade: Grade) {
  const example = EXAMPLE_DATA[TOPICS.routed] as ComplaintRouted;
  const data: ComplaintRouted = {
    ...example,
    complaintId: id,
    revision,
    grade,
    team: rootCause === 'staff_attitude' ? 'service_quality' : 'field_operations',
    classification: {
      ...example.classification,
      rootCause,
      subtype: rootCause === 'staff_attitude' ? 'rudeness' : 'voltage_low',
    },
    routedAt: new Date().toISOString(),
  };
  const event = createEvent({ topic: TOPICS.routed, subject: id, source: '/test', data });
  await producer.send({ topic: TOPICS.routed, messages: [{ key: id, value: JSON.stringify(event) }] });
}

/** The lifecycle consumer applies events asynchronously: poll the search until it shows what is expected. */
async function eventually(query: Record<string, string>, done: (body: any) => boolean): Promise<any> {
  const deadline = Date.now() + 20000;
  for (;;) {
    const res = await search(query);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (done(res.body)) return res.body;
    if (Date.now() > deadline)
      assert.fail(`search ${JSON.stringify(query)} never matched: ${JSON.stringify(res.body)}`);
    await sleep(150);
  }
}

let voltage: string;
let rude: string;
let unrouted: string;
let webOne: string;

before(async () => {
  infra = await startTestInfra();
  h = await startIntake(infra, { CORS_ORIGINS: CONSOLE_ORIGIN });
  await h.service.runtime.kafkaReady();
  const kafka = new Kafka({
    clientId: 'search-test',
    brokers: infra.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  producer = kafka.producer();
  await producer.connect();

  voltage = await post('hotline', ACCOUNT, '晚上电压只有180伏，空调开不了。');
  rude = await post('app', ACCOUNT, '客服态度很差，挂了我电话。');
  unrouted = await post('hotline', ACCOUNT, 'Meter reading looks wrong this month.');
  webOne = await post('web', OTHER_ACCOUNT, 'Power went out twice today.');
  // Revision 2 arrives before revision 1 (a late redelivery): the older decision must not win.
  await publishRouted(voltage, 2, 'power_quality', 'important');
  await publishRouted(voltage, 1, 'other', 'general');
  await publishRouted(rude, 1, 'staff_attitude', 'general');
  await publishRouted(webOne, 1, 'power_quality', 'major');
});

after(async () => {
  await producer?.disconnect();
  await h?.service.stop();
  await infra?.stop();
});

describe('staff search complaints', () => {
  test("by account: that customer's complaints, newest first, each with its latest routing", async () => {
    // The routing and the status are two writes, the status second: wait for both, or a search that lands between
    // them sees the routing of a complaint that is still `received`.
    const body = await eventually(
      { accountNo: ACCOUNT },
      (b) =>
        b.items.filter((i: any) => i.routing && i.status === 'routed').length === 2 &&
        b.items.find((i: any) => i.id === voltage)?.routing?.revision === 2,
    );
    assert.deepEqual(
      body.items.map((i: any) => i.id),
      [unrouted, rude, voltage],
    );
    assert.equal(body.nextCursor, null);
    assert.equal(body.limit, 50);
    const hit = body.items.find((i: any) => i.id === voltage);
    assert.deepEqual(hit.routing, {
      rootCause: 'power_quality',
      subtype: 'voltage_low',
      grade: 'important',
      team: 'field_operations',
      urgent: false,
      revision: 2,
    });
    assert.equal(hit.status, 'routed');
    assert.equal(hit.accountNo, ACCOUNT);
    assert.equal(hit.channel, 'hotline');
    assert.equal(hit.excerpt, '晚上电压只有180伏，空调开不了。');
    assert.deepEqual(hit.links, {
      self: `/v1/complaints/${voltage}`,
      timeline: `/v1/complaints/${voltage}/timeline`,
    });
    assert.equal(hit.customer, undefined, 'no contact details in search hits');
    assert.equal(body.items.find((i: any) => i.id === unrouted).routing, undefined);
  });

  test('by status, grade, root cause and channel, alone and combined', async () => {
    await eventually({ grade: 'major' }, (b) => b.items.some((i: any) => i.id === webOne));
    const ids = async (query: Record<string, string>) =>
      ((await search({ accountNo: ACCOUNT, ...query })).body.items as Array<{ id: string }>).map((i) => i.id);
    assert.deepEqual(await ids({ status: 'received' }), [unrouted]);
    assert.deepEqual(await ids({ status: 'routed' }), [rude, voltage]);
    assert.deepEqual(await ids({ grade: 'important' }), [voltage]);
    assert.deepEqual(await ids({ rootCause: 'staff_attitude' }), [rude]);
    assert.deepEqual(await ids({ rootCause: 'other' }), [], 'revision 1 was replaced by revision 2');
    assert.deepEqual(await ids({ channel: 'hotline' }), [unrouted, voltage]);
    assert.deepEqual(await ids({ channel: 'hotline', status: 'routed', rootCause: 'power_quality' }), [
      voltage,
    ]);
    const major = (await search({ grade: 'major', rootCause: 'power_quality' })).body.items;
    assert.ok(major.every((i: any) => i.routing.grade === 'major'));
    assert.ok(major.some((i: any) => i.id === webOne && i.accountNo === OTHER_ACCOUNT));
  });

  test('by received time: from inclusive, to exclusive', async () => {
    const [first, second] = posted;
    const ids = async (query: Record<string, string>) =>
      ((await search({ accountNo: ACCOUNT, ...query })).body.items as Array<{ id: string }>).map((i) => i.id);
    assert.deepEqual(await ids({ from: second.receivedAt }), [unrouted, rude]);
    assert.deepEqual(await ids({ to: second.receivedAt }), [first.id]);
    assert.deepEqual(await ids({ from: first.receivedAt, to: second.receivedAt }), [voltage]);
    const today = first.receivedAt.slice(0, 10);
    assert.equal((await ids({ from: today, to: today })).length, 3, 'a bare `to` date includes that day');
    const yesterday = new Date(Date.parse(today) - 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual(await ids({ to: yesterday }), []);
  });

  test('pages follow the cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await search({ accountNo: ACCOUNT, limit: '2', ...(cursor ? { cursor } : {}) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map((i: any) => i.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.equal(pages, 2);
    assert.deepEqual(seen, [unrouted, rude, voltage]);
  });

  test('a reopen that raised the grade is searched and shown by the raised grade, a later higher routing wins', async () => {
    const account = '5099000003';
    const ids = async (query: Record<string, string>) =>
      ((await search(query)).body.items as Array<{ id: string }>).map((i) => i.id);
    const id = await post('hotline', account, '第二次投诉：抢修人员一直没来，态度还很差。');
    await publishRouted(id, 1, 'staff_attitude', 'general');
    await eventually({ accountNo: account, grade: 'general' }, (b) => b.items.some((i: any) => i.id === id));
    const reopen = async (reopenCount: number, previousGrade: Grade, grade: Grade) => {
      const data: ComplaintReopened = {
        ...(EXAMPLE_DATA[TOPICS.reopened] as ComplaintReopened),
        complaintId: id,
        previousGrade,
        grade,
        reopenCount,
        reopenedAt: new Date().toISOString(),
      };
      const event = createEvent({ topic: TOPICS.reopened, subject: id, source: '/test', data });
      await producer.send({ topic: TOPICS.reopened, messages: [{ key: id, value: JSON.stringify(event) }] });
    };
    await reopen(1, 'general', 'important');
    const raised = await eventually({ accountNo: account, grade: 'important' }, (b) =>
      b.items.some((i: any) => i.id === id),
    );
    const hit = raised.items.find((i: any) => i.id === id);
    assert.equal(hit.grade, 'important');
    assert.equal(hit.routing.grade, 'general', 'the routing decision itself is kept as it was');
    assert.deepEqual(await ids({ accountNo: account, grade: 'general' }), []);
    // A redelivered first reopen changes nothing; a reclassification to a higher grade wins over the raise.
    await reopen(1, 'general', 'general');
    await publishRouted(id, 2, 'staff_attitude', 'major');
    await eventually({ accountNo: account, grade: 'major' }, (b) => b.items.some((i: any) => i.id === id));
    assert.deepEqual(await ids({ accountNo: account, grade: 'important' }), []);
    assert.equal((await search({ accountNo: account })).body.items[0].grade, 'major');
  });

  test('supervisors and managers may search; field staff may not; no credentials is a 401', async () => {
    for (const role of ['supervisor', 'manager'] as const)
      assert.equal(
        (await search({ accountNo: ACCOUNT }, ['Authorization', `Bearer ${h.creds.tokens[role]}`])).status,
        200,
      );
    const field = await search({}, ['Authorization', `Bearer ${h.creds.tokens.field_staff}`]);
    assert.equal(field.status, 403);
    assert.equal(field.type, 'application/problem+json');
    assert.equal((await request(h.baseUrl).get('/v1/complaints')).status, 401);
  });

  test('a partner key searches only its own channel', async () => {
    const key: [string, string] = ['X-Api-Key', h.creds.apiKeys.app];
    const own = await search({ accountNo: ACCOUNT }, key);
    assert.equal(own.status, 200);
    assert.deepEqual(
      own.body.items.map((i: any) => i.id),
      [rude],
    );
    assert.equal((await search({ channel: 'app' }, key)).status, 200);
    const other = await search({ channel: 'hotline' }, key);
    assert.equal(other.status, 403);
    assert.match(other.body.detail, /only channel app/);
  });

  test('a bad query parameter is a 400 that names it', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ grade: 'enormous' }, 'query/grade'],
      [{ status: 'lost' }, 'query/status'],
      [{ rootCause: 'weather' }, 'query/rootCause'],
      [{ channel: 'fax' }, 'query/channel'],
      [{ accountNo: 'no spaces!' }, 'query/accountNo'],
      [{ limit: '0' }, 'query/limit'],
      [{ limit: '201' }, 'query/limit'],
      [{ from: 'yesterday' }, 'query/from'],
      [{ from: '2026-02-30' }, 'query/from'],
      [{ from: '2026-03-10', to: '2026-03-01' }, 'query/to'],
      [{ cursor: 'bm90LWEtY3Vyc29y' }, 'query/cursor'],
      [{ sort: 'oldest' }, 'query/sort'],
    ];
    for (const [query, field] of cases) {
      const res = await search(query);
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.type, 'application/problem+json');
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        `${JSON.stringify(query)} → ${JSON.stringify(res.body.errors)}`,
      );
    }
    const twice = await request(h.baseUrl)
      .get('/v1/complaints?grade=major&grade=general')
      .set('Authorization', ops());
    assert.equal(twice.status, 400);
    assert.equal(twice.body.errors[0].field, 'query/grade');
  });
});

describe('browsers on an allowed origin (CORS)', () => {
  test('a preflight from the console origin is answered with the allowed methods and headers', async () => {
    const res = await request(h.baseUrl)
      .options('/v1/complaints')
      .set('Origin', CONSOLE_ORIGIN)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], CONSOLE_ORIGIN);
    assert.match(res.headers['access-control-allow-methods'] ?? '', /GET/);
    for (const header of ['Authorization', 'Content-Type', 'Idempotency-Key'])
      assert.match(res.headers['access-control-allow-headers'] ?? '', new RegExp(header));
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    assert.match(res.headers.vary ?? '', /Origin/);
  });

  test('answers to the allowed origin say so, errors included; other origins get no CORS headers', async () => {
    const ok = await search({ accountNo: ACCOUNT }).set('Origin', CONSOLE_ORIGIN);
    assert.equal(ok.headers['access-control-allow-origin'], CONSOLE_ORIGIN);
    const denied = await request(h.baseUrl).get('/v1/complaints').set('Origin', CONSOLE_ORIGIN);
    assert.equal(denied.status, 401);
    assert.equal(
      denied.headers['access-control-allow-origin'],
      CONSOLE_ORIGIN,
      'the browser can read the 401',
    );
    const stranger = await search({}).set('Origin', 'http://evil.example');
    assert.equal(stranger.headers['access-control-allow-origin'], undefined);
    const preflight = await request(h.baseUrl)
      .options('/v1/complaints')
      .set('Origin', 'http://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });
});
