// Group commit: concurrent inserts share round trips, and each caller learns its own outcome (inserted or duplicate).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mongoose, { type Connection } from 'mongoose';
import { FindByIdBatcher, InsertBatcher, isDuplicateKey, WriteBatcher } from '../src';
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

/** The collection, counting calls of one of its methods. */
function counting<T extends object>(collection: T, method: string): { proxy: T; calls: () => number } {
  let calls = 0;
  const proxy = new Proxy(collection, {
    get(target, prop) {
      if (prop === method) calls++;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { proxy, calls: () => calls };
}

test('500 concurrent inserts all land, in fewer round trips than documents', async () => {
  const collection = connection.collection<{ _id: string; n: number }>('docs');
  const { proxy, calls } = counting(collection, 'insertMany');
  const batcher = new InsertBatcher(proxy);
  const results = await Promise.all(
    Array.from({ length: 500 }, (_, n) => batcher.insert({ _id: `doc-${n}`, n })),
  );
  assert.ok(results.every((r) => r === true));
  assert.equal(await collection.countDocuments(), 500);
  assert.ok(calls() < 50, `${calls()} round trips`);
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

test('concurrent upserts and conditional updates share bulk writes and each lands', async () => {
  const collection = connection.collection<{ _id: string; n: number; seen?: number }>('projection');
  await collection.insertMany(Array.from({ length: 100 }, (_, n) => ({ _id: `p-${n}`, n, seen: 5 })));
  const { proxy, calls } = counting(collection, 'bulkWrite');
  const batcher = new WriteBatcher(proxy);
  await Promise.all([
    // 200 upserts: 100 update existing documents, 100 create new ones.
    ...Array.from({ length: 200 }, (_, n) =>
      batcher.write({
        updateOne: { filter: { _id: `p-${n}` }, update: { $set: { n: n * 10 } }, upsert: true },
      }),
    ),
    // Only-if-newer updates: those with an older `seen` change nothing.
    ...Array.from({ length: 100 }, (_, n) =>
      batcher.write({
        updateOne: { filter: { _id: `p-${n}`, seen: { $lt: n % 2 ? 9 : 1 } }, update: { $set: { seen: 9 } } },
      }),
    ),
  ]);
  assert.equal(await collection.countDocuments(), 200);
  assert.equal((await collection.findOne({ _id: 'p-150' }))?.n, 1500);
  assert.equal(await collection.countDocuments({ seen: 9 }), 50);
  assert.ok(calls() < 30, `${calls()} round trips for 300 writes`);
});

test("a failing write rejects only its own caller, with the database's code", async () => {
  const collection = connection.collection<{ _id: string; v: string }>('bulk-dupes');
  await collection.insertOne({ _id: 'taken', v: 'original' });
  const batcher = new WriteBatcher(collection);
  const results = await Promise.allSettled([
    batcher.write({ insertOne: { document: { _id: 'fresh', v: 'a' } } }),
    batcher.write({ insertOne: { document: { _id: 'taken', v: 'again' } } }),
    batcher.write({ updateOne: { filter: { _id: 'taken' }, update: { $set: { v: 'updated' } } } }),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.ok(
    isDuplicateKey((results[1] as PromiseRejectedResult).reason),
    'the duplicate is reported as 11000',
  );
  assert.equal((await collection.findOne({ _id: 'taken' }))?.v, 'updated');
});

test('concurrent reads by id share queries; each caller gets its own document or null', async () => {
  const collection = connection.collection<{ _id: string; n: number; secret: string }>('lookups');
  await collection.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `l-${n}`, n, secret: 'x' })));
  const { proxy, calls } = counting(collection, 'find');
  const reads = new FindByIdBatcher(proxy, { secret: 0 });
  const ids = [...Array.from({ length: 60 }, (_, n) => `l-${n}`), 'l-3', 'l-none'];
  const found = await Promise.all(ids.map((id) => reads.find(id)));
  ids.forEach((id, i) => {
    const n = Number(id.slice(2));
    if (Number.isNaN(n) || n >= 50) assert.equal(found[i], null, id);
    else assert.deepEqual(found[i], { _id: id, n }, id);
  });
  assert.ok(calls() < 10, `${calls()} queries for ${ids.length} reads`);
});
