// The event consumer over the Kafka protocol: one complaint's events in order, different complaints at once,
// and a transient failure fetched again from the message that failed.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS, exampleEvent } from '@complaints/contracts';
import { createLogger, EventConsumer, type EventHandler } from '../src';
import { startTestInfra, uniqueName, type TestInfra } from '../src/testing';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

let infra: TestInfra;
let kafka: Kafka;
const logger = createLogger({ service: 'consumer-test', level: 'silent' });

before(async () => {
  infra = await startTestInfra();
  kafka = new Kafka({
    clientId: 'consumer-test',
    brokers: infra.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
});

after(async () => {
  await infra?.stop();
});

/** A one-partition topic named like the received topic would be, so the whole run arrives in one fetch. */
async function publishRun(keys: string[], perKey: number): Promise<Array<{ key: string; seq: number }>> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPICS.received, numPartitions: 1 }] });
  await admin.disconnect();
  const sent: Array<{ key: string; seq: number }> = [];
  // Interleaved: a1 b1 c1 a2 b2 c2 …, as events of concurrent complaints arrive.
  for (let seq = 0; seq < perKey; seq++) for (const key of keys) sent.push({ key, seq });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPICS.received,
    messages: sent.map(({ key, seq }) => {
      const event = exampleEvent(TOPICS.received);
      return {
        key,
        value: JSON.stringify({
          ...event,
          id: `${key}/${seq}`,
          subject: key,
          data: { ...event.data, complaintId: key },
        }),
      };
    }),
  });
  await producer.disconnect();
  return sent;
}

function consumer(handler: EventHandler): EventConsumer {
  return new EventConsumer({
    kafka,
    groupId: uniqueName('consumer-test'),
    logger,
    handlers: { [TOPICS.received]: handler },
    maxAttempts: 3,
    sessionTimeoutMs: 6000,
    keysConcurrently: 8,
    retryDelayMs: 10,
    onFatal: (error) => assert.fail(error),
  });
}

const seqOf = (id: string) => Number(id.split('/')[1]);

/** Fresh complaint ids in the contract's format (the events must validate to reach the handler). */
function complaintIds(n: number): string[] {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const group = () => Array.from({ length: 4 }, () => alphabet[Math.floor(Math.random() * 32)]).join('');
  return Array.from({ length: n }, () => `CMP-${group()}-${group()}-${group()}-${group()}`);
}

test("one key's events are handled in order while different keys are handled at the same time", async () => {
  const keys = complaintIds(4);
  await publishRun(keys, 5);
  const handled = new Map<string, number[]>(keys.map((k) => [k, []]));
  let active = 0;
  let mostAtOnce = 0;
  const c = consumer(async (event) => {
    if (!handled.has(event.subject)) return;
    active++;
    mostAtOnce = Math.max(mostAtOnce, active);
    await sleep(15);
    handled.get(event.subject)!.push(seqOf(event.id));
    active--;
  });
  await c.start();
  try {
    const deadline = Date.now() + 30000;
    while ([...handled.values()].some((s) => s.length < 5) && Date.now() < deadline) await sleep(50);
  } finally {
    await c.stop();
  }
  for (const key of keys) assert.deepEqual(handled.get(key), [0, 1, 2, 3, 4], `order of ${key}`);
  assert.ok(mostAtOnce >= 2, `keys were handled one at a time (at most ${mostAtOnce} at once)`);
  assert.ok(mostAtOnce <= 4, `one key's events overlapped (${mostAtOnce} at once for 4 keys)`);
});

test('a transient failure is retried from the failed message on; the key keeps its order', async () => {
  const keys = complaintIds(3);
  await publishRun(keys, 4);
  const firstSeen: Array<{ key: string; seq: number }> = [];
  const seen = new Set<string>();
  let failed = false;
  const c = consumer(async (event) => {
    if (!keys.includes(event.subject)) return;
    await sleep(5);
    // The database is away once, while b's third event is handled.
    if (event.id === `${keys[1]}/2` && !failed) {
      failed = true;
      throw Object.assign(new Error('database unreachable'), { transient: true });
    }
    if (!seen.has(event.id)) {
      seen.add(event.id);
      firstSeen.push({ key: event.subject, seq: seqOf(event.id) });
    }
  });
  await c.start();
  try {
    const deadline = Date.now() + 45000;
    while (seen.size < 12 && Date.now() < deadline) await sleep(50);
  } finally {
    await c.stop();
  }
  assert.ok(failed, 'the failure happened');
  assert.equal(seen.size, 12, 'every event was handled after the failure');
  for (const key of keys)
    assert.deepEqual(
      firstSeen.filter((e) => e.key === key).map((e) => e.seq),
      [0, 1, 2, 3],
      `order of ${key}`,
    );
});
