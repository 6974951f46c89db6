// The outbox relay's fast path: batches go out in order, the next one while the last is being removed, and an
// event whose removal failed stays stored for the sweep.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { addOutbox, createLogger, OutboxRelay, type EventPublisher, type OutboxEntry } from '../src';
import type { OutgoingEvent } from '../src/kafka/publisher';
import { startTestInfra, uniqueName, type TestInfra } from '../src/testing';

interface Thing {
  _id: string;
  outbox: OutboxEntry[];
}

let infra: TestInfra;
let connection: Connection;
let things: Model<Thing>;

before(async () => {
  infra = await startTestInfra();
  connection = await mongoose.createConnection(infra.mongoUri(uniqueName('relay'))).asPromise();
  const schema = new Schema<Thing>({ _id: String });
  addOutbox(schema);
  things = connection.model<Thing>('Thing', schema);
});

after(async () => {
  await connection?.close();
  await infra?.stop();
});

/** Stores one document per id, each with one pending event, and returns the entries by document id. */
async function storeWithEvents(ids: string[]): Promise<Map<string, OutboxEntry[]>> {
  const entries = new Map(
    ids.map((id) => [
      id,
      [{ _id: `${id}-e1`, topic: 'things.v1', key: id, value: `{"id":"${id}-e1"}`, createdAt: new Date() }],
    ]),
  );
  await things.insertMany(ids.map((id) => ({ _id: id, outbox: entries.get(id) })));
  return entries;
}

const pendingIn = async (id: string) => (await things.findById(id).lean().exec())?.outbox.length;

/** A publisher that records what it was given; Kafka itself is not what these tests are about. */
function recordingPublisher() {
  const published: string[] = [];
  const publisher = {
    publish: (events: OutgoingEvent[]) => {
      published.push(...events.map((e) => e.key));
      return Promise.resolve();
    },
  } as unknown as EventPublisher;
  return { publisher, published };
}

/** The model, with each updateMany (the relay's removal) first passed to `before`. */
function interceptRemovals(before: (call: number) => Promise<void>): Model<Thing> {
  let calls = 0;
  return new Proxy(things, {
    get(target, prop) {
      if (prop !== 'updateMany') return Reflect.get(target, prop) as unknown;
      return async (...args: Parameters<Model<Thing>['updateMany']>) => {
        await before(++calls);
        return target.updateMany(...args);
      };
    },
  });
}

const logLines = () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    service: 'relay-test',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
};

const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 10_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('the next batch is published while the last one is still being removed, and every event leaves its document', async () => {
  const ids = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5'];
  const entries = await storeWithEvents(ids);
  const { publisher, published } = recordingPublisher();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // The first removal waits until the test lets it go.
  const model = interceptRemovals((call) => (call === 1 ? held : Promise.resolve()));
  const relay = new OutboxRelay({ publisher, logger: logLines().logger, sweepMs: 60_000, batchSize: 2 });
  relay.start();
  try {
    for (const id of ids) relay.notify(model, id, entries.get(id)!);
    await until('the second batch to be published', () => published.length >= 4);
    assert.deepEqual(published.slice(0, 4), ids.slice(0, 4), 'batches go out in the order they were stored');
    assert.equal(await pendingIn('A-1'), 1, 'the first batch is not removed yet');
    // One removal at a time: the third batch waits until the first batch's removal is done.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(published.length, 4);
    release();
    await until('the last batch to be published', () => published.length === 5);
  } finally {
    release();
    await relay.stop();
  }
  assert.deepEqual(published, ids, 'each event once, in order');
  for (const id of ids) assert.equal(await pendingIn(id), 0, `${id}'s event left its document`);
});

test('an event whose removal failed stays stored, publishing goes on, and the sweep sends it again', async () => {
  const ids = ['B-1', 'B-2'];
  const entries = await storeWithEvents(ids);
  const { publisher, published } = recordingPublisher();
  const model = interceptRemovals((call) =>
    call === 1 ? Promise.reject(new Error('database went away')) : Promise.resolve(),
  );
  const { logger, lines } = logLines();
  const relay = new OutboxRelay({ publisher, logger, sweepMs: 60_000, graceMs: 0 });
  relay.start();
  // The first sweep runs 100 ms after the start; let it pass with no model registered, so that only the fast path
  // publishes until this test sweeps itself.
  await new Promise((r) => setTimeout(r, 150));
  relay.notify(model, 'B-1', entries.get('B-1')!);
  await until('B-1 to be published', () => published.includes('B-1'));
  relay.notify(model, 'B-2', entries.get('B-2')!);
  await until("B-2's event to leave its document", async () => (await pendingIn('B-2')) === 0);

  assert.equal(relay.isDegraded, false, 'publishing works, so the relay is not degraded');
  assert.equal(await pendingIn('B-1'), 1, 'the event whose removal failed is still stored');
  const warning = lines.find((l) => l.msg === 'could not remove published events');
  assert.ok(warning, JSON.stringify(lines));
  assert.equal(warning.events, 1);

  // The sweep takes it (at-least-once: consumers dedupe on the event id) and this time removes it.
  relay.register(things);
  assert.equal(await relay.sweep(), 1);
  await relay.stop();
  assert.deepEqual(published, ['B-1', 'B-2', 'B-1']);
  assert.equal(await pendingIn('B-1'), 0);
});
