// The MongoDB stand-in's document store: recent documents as objects, older ones as BSON bytes, one Map to its users.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BSON, MongoClient, ObjectId } from 'mongodb';
import { DocumentStore, HotDocuments, type DocumentCodec } from '../src/local-infra/document-store';
import { startLocalMongo } from '../src/local-infra/index';

type Doc = Record<string, unknown>;

function countingCodec(): DocumentCodec & { encoded: string[] } {
  const encoded: string[] = [];
  return {
    encoded,
    encode: (doc) => {
      encoded.push(String(doc._id));
      return BSON.serialize(doc);
    },
    decode: (bytes) => BSON.deserialize(bytes),
  };
}

const order = (id: string, extra: Doc = {}): Doc => ({
  _id: id,
  status: 'assigned',
  deadline: new Date('2026-11-23T08:00:00Z'),
  history: [{ what: 'created', at: new Date('2026-11-23T07:00:00Z') }],
  text: '电压不稳，空调无法启动',
  owner: new ObjectId('65a1b2c3d4e5f60718293a4b'),
  ...extra,
});

describe('DocumentStore', () => {
  test('writes beyond the budget turn the least recently written documents, of any collection, into bytes', () => {
    const codec = countingCodec();
    const budget = new HotDocuments(2, codec);
    const orders = new DocumentStore(budget);
    const timelines = new DocumentStore(budget);
    orders.set('o1', order('o1'));
    timelines.set('t1', order('t1'));
    assert.deepEqual(codec.encoded, [], 'within the budget nothing is encoded');
    orders.set('o1', order('o1', { status: 'done' }));
    orders.set('o2', order('o2'));
    assert.deepEqual(codec.encoded, ['t1'], 'rewriting o1 made t1 the least recently written');
    timelines.set('t2', order('t2'));
    assert.deepEqual(codec.encoded, ['t1', 'o1']);
    const stats = budget.stats();
    assert.equal(stats.hotDocuments, 2);
    assert.equal(stats.coldDocuments, 2);
    assert.equal(stats.frozen, 2);
    assert.ok(stats.coldBytes > 200, `cold bytes ${stats.coldBytes}`);
    assert.equal(orders.size + timelines.size, 4);
  });

  test('a frozen document reads back equal, as a fresh copy, and stays frozen', () => {
    const budget = new HotDocuments(0, countingCodec());
    const store = new DocumentStore(budget);
    store.set('o1', order('o1'));
    assert.equal(budget.stats().coldDocuments, 1);
    const first = store.get('o1');
    assert.deepEqual(first, order('o1'));
    assert.ok(first?.deadline instanceof Date);
    assert.ok(first?.owner instanceof ObjectId);
    (first?.history as Doc[]).push({ what: 'tampered' });
    assert.deepEqual(store.get('o1'), order('o1'), 'changing a copy does not change what is stored');
    assert.equal(budget.stats().thawed, 2);
    assert.equal(budget.stats().hotDocuments, 0, 'reads do not bring documents back');
    assert.equal(store.get('missing'), undefined);
  });

  test('iteration keeps insertion order and yields documents, whether hot or frozen', () => {
    const budget = new HotDocuments(2, countingCodec());
    const store = new DocumentStore(budget);
    for (const id of ['a', 'b', 'c', 'd']) store.set(id, order(id));
    store.set('a', order('a', { status: 'closed' }));
    const ids = (docs: Iterable<Doc>) => [...docs].map((d) => d._id);
    assert.deepEqual([...store.keys()], ['a', 'b', 'c', 'd']);
    assert.deepEqual(ids(store.values()), ['a', 'b', 'c', 'd']);
    assert.deepEqual(
      [...store].map(([key, doc]) => [key, doc._id]),
      [
        ['a', 'a'],
        ['b', 'b'],
        ['c', 'c'],
        ['d', 'd'],
      ],
    );
    const seen: string[] = [];
    store.forEach((doc, key) => seen.push(`${key}:${String(doc.status)}`));
    assert.deepEqual(seen, ['a:closed', 'b:assigned', 'c:assigned', 'd:assigned']);
    assert.deepEqual(ids(Array.from(store.values())), ['a', 'b', 'c', 'd']);
  });

  test('deleting and clearing keep the counts true', () => {
    const budget = new HotDocuments(1, countingCodec());
    const store = new DocumentStore(budget);
    for (const id of ['a', 'b', 'c']) store.set(id, order(id));
    assert.deepEqual([budget.stats().hotDocuments, budget.stats().coldDocuments], [1, 2]);
    assert.equal(store.delete('a'), true, 'a frozen document');
    assert.equal(store.delete('c'), true, 'the hot document');
    assert.equal(store.delete('c'), false);
    assert.deepEqual([budget.stats().hotDocuments, budget.stats().coldDocuments], [0, 1]);
    store.set('b', order('b', { status: 'rewritten' }));
    assert.equal(budget.stats().coldDocuments, 0, 'rewriting a frozen document makes it an object again');
    assert.equal(budget.stats().coldBytes, 0);
    store.set('e', order('e'));
    assert.deepEqual(
      [budget.stats().hotDocuments, budget.stats().coldDocuments],
      [1, 1],
      'e pushed b out again',
    );
    store.clear();
    assert.equal(store.size, 0);
    assert.deepEqual(budget.stats(), {
      hotDocuments: 0,
      coldDocuments: 0,
      coldBytes: 0,
      frozen: 3,
      thawed: 0,
    });
    store.set('f', order('f'));
    assert.equal(budget.stats().hotDocuments, 1, 'a cleared store takes documents again');
  });

  test("serverStatus reports the stand-in's documents kept as objects and as bytes", async () => {
    const local = await startLocalMongo({ port: 0, hotDocuments: 2 });
    const client = await new MongoClient(local.uri).connect();
    try {
      const orders = client.db('document_store_test').collection<Doc>('orders');
      await orders.insertMany([order('o1'), order('o2'), order('o3'), order('o4'), order('o5')]);
      await orders.updateOne({ _id: 'o1' }, { $set: { status: 'done' } });
      const status = (await client.db('admin').command({ serverStatus: 1 })) as {
        documentStore: { hotDocuments: number; coldDocuments: number; frozen: number; thawed: number };
      };
      assert.equal(status.documentStore.hotDocuments, 2);
      assert.equal(status.documentStore.coldDocuments, 3);
      assert.equal(status.documentStore.frozen, 4, 'o1..o3 on insert, then o4 when o1 was rewritten');
      assert.equal(status.documentStore.thawed, 1, 'the update read o1 back');
      assert.deepEqual(await orders.findOne({ _id: 'o1' }), order('o1', { status: 'done' }));
      assert.deepEqual((await orders.find({ status: 'assigned' }).toArray()).map((d) => d._id).sort(), [
        'o2',
        'o3',
        'o4',
        'o5',
      ]);
    } finally {
      await client.close();
      await local.stop();
    }
  });
});
