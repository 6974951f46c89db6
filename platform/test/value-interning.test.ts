// The MongoDB stand-in shares equal strings and dates between stored documents: same documents, fewer heap objects.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSnapshot } from 'node:v8';
import { Binary, MongoClient, ObjectId } from 'mongodb';
import { MAX_INTERNED_LENGTH, ValueInterner } from '../src/local-infra/value-interning';
import { startLocalMongo, type LocalMongo } from '../src/local-infra/index';

type Doc = Record<string, unknown>;

/** A string equal to `text` but built at run time, as decoding a document builds it. */
const fresh = (text: string): string => [...text].join('');

const order = (id: string, at: number): Doc => ({
  _id: id,
  status: fresh('assigned'),
  team: { name: fresh('field_operations'), since: new Date(at) },
  history: [
    { what: fresh('created'), at: new Date(at) },
    { what: fresh('assigned'), at: new Date(at + 1000) },
  ],
  owner: new ObjectId('65a1b2c3d4e5f60718293a4b'),
  photo: new Binary(Buffer.from([1, 2, 3])),
  bytes: Buffer.from([4, 5]),
  text: fresh('电压不稳，空调无法启动'.repeat(10)),
});

/** How many objects of a type and name are on this process's heap (a heap snapshot, read as V8 writes it). */
async function onHeap(type: string, name: string): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const [typeAt, nameAt] = [fields.indexOf('type'), fields.indexOf('name')];
  let found = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length)
    if (
      types[0][snapshot.nodes[i + typeAt]] === type &&
      snapshot.strings[snapshot.nodes[i + nameAt]] === name
    )
      found++;
  return found;
}

/** Built as BSON decoding builds a document: an empty object, then one property at a time. */
function decodedLike(entries: Array<[string, unknown]>): Doc {
  const doc: Doc = {};
  for (const [key, value] of entries) doc[key] = value;
  return doc;
}

describe('ValueInterner', () => {
  test('documents hold one copy of an equal string, and the copies they came with can be collected', async () => {
    const marker = 'CMP-TEST-MARK-0001';
    const interner = new ValueInterner();
    const docs = Array.from({ length: 500 }, (_, i) => ({
      _id: i,
      complaintId: fresh(marker),
      tags: [fresh(marker)],
    }));
    // One copy per value as decoded (the snapshot collects garbage first; `marker` itself is one more).
    assert.equal(await onHeap('string', marker), 1001);
    for (const doc of docs) interner.intern(doc);
    assert.equal(await onHeap('string', marker), 2);
    assert.ok(docs.every((doc) => doc.complaintId === marker && doc.tags[0] === marker));
  });

  test('equal dates become one object and the documents keep their values', () => {
    const interner = new ValueInterner();
    const first = interner.intern(order('WO-1', Date.UTC(2026, 10, 23, 8)));
    const second = interner.intern(order('WO-2', Date.UTC(2026, 10, 23, 8)));
    assert.deepEqual(
      [first, second],
      [order('WO-1', Date.UTC(2026, 10, 23, 8)), order('WO-2', Date.UTC(2026, 10, 23, 8))],
    );
    const at = (doc: Doc) => (doc.history as Array<{ at: Date }>).map((h) => h.at);
    // The second document's dates, in an array and in a nested object, are the first document's objects.
    assert.equal(at(second)[0], at(first)[0]);
    assert.equal(at(second)[1], at(first)[1]);
    assert.equal((second.team as { since: Date }).since, at(first)[0]);
    // Within the first document too: team.since and history[0].at hold the same time.
    assert.equal((first.team as { since: Date }).since, at(first)[0]);
    // 3 dates of the second document and 1 of the first were already held.
    assert.equal(interner.stats().sharedDates, 4);
  });

  test('counts the short strings it finds already held, and leaves long ones alone', () => {
    const interner = new ValueInterner();
    interner.intern(order('WO-1', 0));
    const afterFirst = interner.stats().sharedStrings;
    // 'assigned' appears twice in one order.
    assert.equal(afterFirst, 1);
    interner.intern(order('WO-2', 0));
    // status, team name and both history steps; not the id (new) nor the 110-character text (too long to look up).
    assert.equal(interner.stats().sharedStrings - afterFirst, 4);
    assert.ok('电压不稳，空调无法启动'.repeat(10).length > MAX_INTERNED_LENGTH);
  });

  test('BSON values, buffers and invalid dates are kept as they are', () => {
    const interner = new ValueInterner();
    const original = order('WO-1', 0);
    const { owner, photo, bytes } = original;
    const invalid = new Date(Number.NaN);
    original.invalid = invalid;
    const doc = interner.intern(original);
    assert.equal(doc.owner, owner);
    assert.equal(doc.photo, photo);
    assert.equal(doc.bytes, bytes);
    assert.equal(doc.invalid, invalid);
    assert.equal(interner.stats().heldDates, 2);
  });

  test('holds at most two generations, and keeps the values still in use', () => {
    const interner = new ValueInterner(100);
    const common = new Date(Date.UTC(2026, 0, 1));
    interner.intern({ at: common });
    for (let i = 0; i < 1000; i++)
      interner.intern({ id: `CMP-${i}`, at: new Date(common.getTime()), n: new Date(i + 1) });
    const stats = interner.stats();
    assert.ok(stats.heldStrings <= 200, `held ${stats.heldStrings} strings`);
    assert.ok(stats.heldDates <= 200, `held ${stats.heldDates} dates`);
    // The date every document carries was found each time, across 20 generations of one-off values.
    const last: Doc = { at: new Date(common.getTime()) };
    interner.intern(last);
    assert.equal(last.at, common);
  });
});

describe('compact copies', () => {
  test('have the same keys in the same order and the same values', () => {
    const interner = new ValueInterner();
    const at = new Date(Date.UTC(2026, 10, 23, 8));
    const entries = (n: number): Array<[string, unknown]> => [
      ['startedAt', at],
      ['allowedMs', 1_197_001 + n],
      ['deadline', at],
      ['pausedMs', 0],
      ['warnedAt', null],
      ['2', 'an integer-like key'],
      ['breachedAt', undefined],
      ['doneAt', null],
    ];
    const docs = [1, 2].map((n) =>
      interner.intern(
        decodedLike([
          ['_id', `WO-${n}`],
          ['sla', decodedLike([['dispatch', decodedLike(entries(n))]])],
        ]),
      ),
    );
    for (const [n, doc] of docs.entries()) {
      const dispatch = (doc.sla as Doc).dispatch as Doc;
      const expected = decodedLike(entries(n + 1));
      assert.deepEqual(Object.keys(dispatch), Object.keys(expected));
      assert.deepEqual(dispatch, expected);
      assert.equal(Object.getPrototypeOf(dispatch), Object.prototype);
    }
    // The two clocks of eight keys; the documents and `sla` have fewer than five keys and are kept as they were.
    assert.equal(interner.stats().compactedObjects, 2);
  });

  test('hold their properties in the object: no property array each', async () => {
    const interner = new ValueInterner();
    const keys = ['complaintId', 'topic', 'service', 'step', 'actor', 'summary', 'traceId', 'recordedAt'];
    const stored = Array.from({ length: 400 }, (_, i) => decodedLike(keys.map((key) => [key, i])));
    const before = await onHeap('hidden', 'system / PropertyArray');
    for (let i = 0; i < stored.length; i++) stored[i] = interner.intern(stored[i]);
    const after = await onHeap('hidden', 'system / PropertyArray');
    // One fewer per object stored (give or take a few of the test's own objects).
    assert.ok(before - after >= 390, `property arrays: ${before} before, ${after} after`);
  });

  test('leave alone objects with a __proto__ key, null prototypes, and shapes beyond the bound', () => {
    const interner = new ValueInterner();
    const withProto = JSON.parse('{"__proto__": {"x": 1}, "a": 1, "b": 2, "c": 3, "d": 4}') as Doc;
    assert.equal(interner.intern(withProto), withProto);
    assert.equal(Object.getPrototypeOf(withProto), Object.prototype);
    const bare = Object.assign(Object.create(null) as Doc, { a: 1, b: 2, c: 3, d: 4, e: 5 });
    assert.equal(interner.intern(bare), bare);
    // Every document with keys of its own: the trie of shapes stops growing, and the rest are kept as they came.
    let kept = 0;
    for (let i = 0; i < 2000; i++) {
      const doc = decodedLike(['a', 'b', 'c', 'd', 'e'].map((key) => [`${key}${i}`, i]));
      if (interner.intern(doc) === doc) kept++;
    }
    assert.ok(interner.stats().shapes <= 4096, `shapes: ${interner.stats().shapes}`);
    assert.ok(kept > 1000, `kept: ${kept}`);
  });

  test('an update walks only what it changed, and what it kept stays the stored object', () => {
    const interner = new ValueInterner();
    const stored = interner.intern(order('WO-1', 0));
    const history = stored.history as Doc[];
    // A copy-on-write update: a new top level, a new history array keeping the old steps, one new step.
    const updated = {
      ...stored,
      status: fresh('done'),
      history: [
        ...history,
        decodedLike([
          ['what', fresh('done')],
          ['at', new Date(5000)],
          ['by', 'x'],
          ['n', 1],
          ['m', 2],
        ]),
      ],
    };
    const { sharedStrings } = interner.stats();
    const next = interner.intern(updated, stored);
    assert.equal(next.team, stored.team);
    assert.equal((next.history as Doc[])[0], history[0]);
    assert.equal((next.history as Doc[])[1], history[1]);
    assert.deepEqual((next.history as Doc[])[2], { what: 'done', at: new Date(5000), by: 'x', n: 1, m: 2 });
    // 'done' twice (status, then the step's), once new and once found; the kept parts were not walked again.
    assert.equal(interner.stats().sharedStrings - sharedStrings, 1);
  });
});

describe('local MongoDB stand-in sharing values', () => {
  let local: LocalMongo;
  let client: MongoClient;

  before(async () => {
    local = await startLocalMongo({ port: 0 });
    client = await new MongoClient(local.uri).connect();
  });
  after(async () => {
    await client.close();
    await local.stop();
  });

  const interning = async () =>
    (
      (await client.db('admin').command({ serverStatus: 1 })) as {
        interning: { sharedDates: number; sharedStrings: number };
      }
    ).interning;

  test('documents that share a date stay independent when one of them is updated', async () => {
    const orders = client.db('interning_test').collection<Doc>('orders');
    const at = new Date(Date.UTC(2026, 10, 23, 8));
    const before = await interning();
    await orders.insertMany([
      { _id: 'a' as never, status: 'assigned', at, history: [{ what: 'created', at }] },
      { _id: 'b' as never, status: 'assigned', at, history: [{ what: 'created', at }] },
    ]);
    const after = await interning();
    assert.equal(after.sharedDates - before.sharedDates, 3);
    assert.equal(after.sharedStrings - before.sharedStrings, 2);
    await orders.updateOne(
      { _id: 'a' as never },
      { $set: { at: new Date(at.getTime() + 60_000), status: 'done' } },
    );
    await orders.updateOne({ _id: 'b' as never }, { $currentDate: { 'history.0.at': true } });
    const [a, b] = await orders.find({}).sort({ _id: 1 }).toArray();
    assert.deepEqual(a, {
      _id: 'a',
      status: 'done',
      at: new Date(at.getTime() + 60_000),
      history: [{ what: 'created', at }],
    });
    assert.equal(b.status, 'assigned');
    assert.deepEqual(b.at, at);
    const stamped = (b.history as Array<{ at: Date }>)[0].at;
    assert.ok(stamped.getTime() > at.getTime());
    assert.deepEqual(await orders.countDocuments({ at }), 1);
  });

  test("serverStatus reports the stand-in's heap and its collections", async () => {
    const { heap } = (await client.db('admin').command({ serverStatus: 1 })) as {
      heap: Record<string, number>;
    };
    assert.deepEqual(Object.keys(heap).sort(), [
      'majorCollections',
      'majorPauseMs',
      'minorCollections',
      'minorPauseMs',
      'totalMiB',
      'usedMiB',
    ]);
    assert.ok(heap.usedMiB > 0 && heap.usedMiB <= heap.totalMiB, JSON.stringify(heap));
    for (const key of ['majorCollections', 'majorPauseMs', 'minorCollections', 'minorPauseMs'])
      assert.ok(Number.isInteger(heap[key]) && heap[key] >= 0, `${key}: ${heap[key]}`);
  });

  test('can be turned off', async () => {
    const plain = await startLocalMongo({ port: 0, internValues: false });
    const other = await new MongoClient(plain.uri).connect();
    try {
      await other
        .db('interning_test')
        .collection('orders')
        .insertOne({ at: new Date(0), also: new Date(0) });
      const status = await other.db('admin').command({ serverStatus: 1 });
      assert.equal(status.interning ?? null, null);
    } finally {
      await other.close();
      await plain.stop();
    }
  });
});
