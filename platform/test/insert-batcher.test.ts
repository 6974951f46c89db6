// Group commit: concurrent inserts share round trips, and each caller learns its own outcome (inserted or duplicate).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mongoose, { type Connection } from 'mongoose';
import { InsertBatcher } from '../src';
import { startTestInfra, uniqueName, type TestInfra } from '../src/testing';

let infra: TestInfra;
let connection: Connection;

before(async () => {
  infra = await startTestInfra();
  connection = await mongoose.createConnection(infra.mongoUri(uniqueName('batcher'))).asPromise();
});

after(async () => {
  await connection?.close();
  await infra?.stop();
});

test('500 concurrent inserts all land, in fewer round trips than documents', async () => {
  const collection = connection.collection<{ _id: string; n: number }>('docs');
  let roundTrips = 0;
  const counting = new Proxy(collection, {
    get(target, prop) {
      if (prop === 'insertMany') roundTrips++;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const batcher = new InsertBatcher(counting);
  const results = await Promise.all(
    Array.from({ length: 500 }, (_, n) => batcher.insert({ _id: `doc-${n}`, n })),
  );
  assert.ok(results.every((r) => r === true));
  assert.equal(await collection.countDocuments(), 500);
  assert.ok(roundTrips < 50, `${roundTrips} round trips`);
});

test('a duplicate _id is reported to its own caller only; the rest of the batch is inserted', async () => {
  const collection = connection.collection<{ _id: string; v: string }>('dupes');
  await collection.insertOne({ _id: 'taken', v: 'original' });
  const batcher = new InsertBatcher(collection);
  const results = await Promise.all([
    batcher.insert({ _id: 'new-1', v: 'a' }),
    batcher.insert({ _id: 'taken', v: 'retry' }),
    batcher.insert({ _id: 'new-2', v: 'b' }),
    batcher.insert({ _id: 'new-1', v: 'same id twice in one burst' }),
  ]);
  assert.deepEqual(results, [true, false, true, false]);
  assert.equal((await collection.findOne({ _id: 'taken' }))?.v, 'original');
  assert.equal((await collection.findOne({ _id: 'new-1' }))?.v, 'a');
});
