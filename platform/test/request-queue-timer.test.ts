// kafkajs' request queues: idle broker connections schedule nothing, queued requests still go out when a throttle ends.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { createKafka, createLogger } from '../src';
import { startTestInfra, uniqueName, type TestInfra } from '../src/testing';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

interface QueueUnderTest {
  pending: unknown[];
  inflight: Map<number, unknown>;
  checkPendingRequests(this: QueueUnderTest): void;
  push(request: unknown): void;
  maybeThrottle(ms: number): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
  destroy(): void;
}
type QueueClass = { prototype: QueueUnderTest } & (new (options: object) => QueueUnderTest);

const logger = createLogger({ service: 'request-queue-test', level: 'silent' });
const RequestQueue = createRequire(require.resolve('kafkajs'))('./src/network/requestQueue') as QueueClass;
let infra: TestInfra;

before(async () => {
  infra = await startTestInfra();
});

after(async () => {
  await infra?.stop();
});

/** Counts the checks of every request queue in the process while `during` runs. */
async function countChecks(during: () => Promise<void>): Promise<number> {
  // Kept to be called with each queue as `this` below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = RequestQueue.prototype.checkPendingRequests;
  let calls = 0;
  RequestQueue.prototype.checkPendingRequests = function (this: QueueUnderTest) {
    calls++;
    original.call(this);
  };
  try {
    await during();
  } finally {
    RequestQueue.prototype.checkPendingRequests = original;
  }
  return calls;
}

test('a connected client that has nothing to send leaves its request queues alone', async () => {
  const kafka = createKafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'idle-test', logger });
  const topic = uniqueName('idle');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: 'one' }] });
    // kafkajs 2.2.4 checked each answered connection's queue every millisecond from here on, for ever.
    const idleChecks = await countChecks(() => sleep(300));
    assert.ok(idleChecks <= 2, `expected no checks of idle queues, got ${idleChecks} in 300 ms`);
    // Sending still works: each answer checks its queue once.
    const busyChecks = await countChecks(() =>
      producer.send({ topic, messages: [{ value: 'two' }] }).then(() => {}),
    );
    assert.ok(busyChecks >= 1);
  } finally {
    await producer.disconnect();
  }
});

test('a request queued behind a throttle is sent when the throttle ends, not before', async () => {
  createKafka({ brokers: ['127.0.0.1:1'], clientId: 'install', logger }); // installs the fix
  const queue = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30000,
    enforceRequestTimeout: false,
    clientId: 'throttle-test',
    broker: 'test:1',
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const sent: number[] = [];
  const request = (correlationId: number) => ({
    entry: { correlationId, apiKey: 0, apiName: 'Produce', apiVersion: 7, resolve() {}, reject() {} },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  });
  try {
    queue.push(request(1));
    queue.push(request(2)); // one in flight at most: waits
    assert.deepEqual(sent, [1]);
    queue.maybeThrottle(80);
    const throttledAt = Date.now();
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    assert.deepEqual(sent, [1], 'throttled: request 2 must wait');
    const deadline = Date.now() + 2000;
    while (sent.length < 2 && Date.now() < deadline) await sleep(5);
    assert.deepEqual(sent, [1, 2]);
    assert.ok(Date.now() - throttledAt >= 75, 'sent before the throttle ended');
  } finally {
    queue.destroy();
  }
});
