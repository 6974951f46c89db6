// The MongoDB router: collections spread over stand-in threads, answers that concern every thread merged, and
// broken clients cut off without harm to the others.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { BSON } from 'mongodb';
import { startLocalMongoThread, type LocalMongo } from '../src/local-infra/index';
import { requestTarget } from '../src/local-infra/mongo-router';

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value);
  return b;
}

/** An OP_MSG with `body` as its body section, after any document sequences given. */
function opMsg(body: Record<string, unknown>, sequences: Buffer[] = [], requestId = 1): Buffer {
  const bodySection = Buffer.concat([Buffer.from([0]), BSON.serialize(body)]);
  const payload = Buffer.concat([int32(0), ...sequences, bodySection]);
  return Buffer.concat([int32(16 + payload.length), int32(requestId), int32(0), int32(2013), payload]);
}

function sequence(name: string, docs: Array<Record<string, unknown>>): Buffer {
  const encoded = docs.map((doc) => Buffer.from(BSON.serialize(doc)));
  const id = Buffer.from(`${name}\0`);
  const size = 4 + id.length + encoded.reduce((n, d) => n + d.length, 0);
  return Buffer.concat([Buffer.from([1]), int32(size), id, ...encoded]);
}

interface RouterStatus {
  router: { threads: number; clients: number; requests: number[]; collections: Record<string, number> };
  shards: Array<{ shard: number; heap: { usedMiB: number } }>;
  heap: { usedMiB: number };
  metrics: { queryExecutor: { scannedObjects: number } };
}

describe('request targets read from the wire', () => {
  test('command, database and collection, whatever the field order and sections', () => {
    assert.deepEqual(requestTarget(opMsg({ find: 'orders', filter: { a: 1 }, $db: 'shop' })), {
      command: 'find',
      database: 'shop',
      collection: 'orders',
    });
    // Inserted documents in a sequence before the body; every BSON type the body may hold is skipped.
    const body = {
      insert: 'notes',
      ordered: true,
      n: 1.5,
      big: BSON.Long.fromNumber(2 ** 40),
      when: new Date(0),
      id: new BSON.ObjectId(),
      bin: new BSON.Binary(Buffer.from('abc')),
      re: new BSON.BSONRegExp('a.c', 'i'),
      nothing: null,
      dec: BSON.Decimal128.fromString('1.5'),
      ts: new BSON.Timestamp({ t: 1, i: 2 }),
      list: [1, 'two', { three: 3 }],
      $db: 'local_db',
    };
    assert.deepEqual(requestTarget(opMsg(body, [sequence('documents', [{ _id: 1 }, { _id: 2 }])])), {
      command: 'insert',
      database: 'local_db',
      collection: 'notes',
    });
    // getMore names its collection in a field of its own; its first value is the cursor id.
    assert.deepEqual(
      requestTarget(opMsg({ getMore: BSON.Long.fromNumber(7), collection: 'orders', $db: 'shop' })),
      { command: 'getMore', database: 'shop', collection: 'orders' },
    );
    assert.deepEqual(requestTarget(opMsg({ hello: 1, $db: 'admin' })), {
      command: 'hello',
      database: 'admin',
    });
    // A legacy OP_QUERY (old drivers' first handshake) has no target: it goes to the first thread.
    const query = Buffer.concat([int32(20), int32(1), int32(0), int32(2004), int32(0)]);
    assert.deepEqual(requestTarget(query), {});
  });

  test('a body that runs past its message, or a field of unknown type, is refused', () => {
    const good = opMsg({ find: 'orders', $db: 'shop' });
    // The body claims more bytes than the message has.
    const overrun = Buffer.from(good);
    overrun.writeInt32LE(good.length, 21);
    assert.throws(() => requestTarget(overrun), /overruns/);
    // The type byte of the first field replaced by one BSON does not have.
    const unknown = Buffer.from(good);
    unknown[25] = 0x42;
    assert.throws(() => requestTarget(unknown), /malformed field/);
    const noBody = Buffer.concat([int32(21), int32(1), int32(0), int32(2013), int32(0), Buffer.from([3])]);
    assert.throws(() => requestTarget(noBody), /section kind 3/);
  });
});

describe('MongoDB stand-in on several threads behind the router', () => {
  let local: LocalMongo;
  let conn: Connection;
  const status = async () => (await conn.db!.admin().command({ serverStatus: 1 })) as unknown as RouterStatus;

  before(async () => {
    local = await startLocalMongoThread({ port: 0, threads: 3 });
    conn = await mongoose.createConnection(local.uri, { dbName: 'router_test' }).asPromise();
  });

  after(async () => {
    await conn?.close();
    await local?.stop();
  });

  test('each new collection goes to the next thread and stays there', { timeout: 60000 }, async () => {
    const names = ['first', 'second', 'third', 'fourth'];
    for (const name of names) await conn.collection(name).insertOne({ name });
    const { router } = await status();
    const threads = names.map((name) => router.collections[`router_test.${name}`]);
    assert.equal(new Set(threads.slice(0, 3)).size, 3, `three collections, three threads: ${threads.join()}`);
    assert.equal(threads[3], threads[0], 'the fourth wraps round to the first one’s thread');
    // Requests to one collection reach only its thread.
    const before = (await status()).router.requests;
    for (let i = 0; i < 20; i++) await conn.collection('second').findOne({ name: 'second' });
    const after = (await status()).router.requests;
    // The second serverStatus went to every thread once; the driver's heartbeat (hello, every 10 s) may add one
    // request to the first thread.
    for (const [thread, grew] of after.map((n, i) => n - before[i]).entries()) {
      const expected = 1 + (thread === threads[1] ? 20 : 0);
      if (thread === 0) assert.ok(grew === expected || grew === expected + 1, `thread 0: ${grew}`);
      else assert.equal(grew, expected, `thread ${thread}`);
    }
    for (const name of names) assert.equal((await conn.collection(name).findOne({}))?.name, name);
  });

  test('cursors continue on the thread that opened them', { timeout: 60000 }, async () => {
    const rows = conn.collection('rows');
    await rows.insertMany(Array.from({ length: 95 }, (_, n) => ({ n })));
    const seen: number[] = [];
    for await (const row of rows.find({}, { batchSize: 10, sort: { n: 1 } })) seen.push(row.n as number);
    assert.deepEqual(
      seen,
      Array.from({ length: 95 }, (_, n) => n),
    );
  });

  test('serverStatus, listDatabases, listCollections, dbStats and dropDatabase cover every thread', async () => {
    const other = conn.useDb('router_other');
    for (const name of ['a', 'b', 'c', 'd']) await other.collection(name).insertOne({ name });
    const collections = (await other.db!.listCollections().toArray()).map((c) => c.name).sort();
    assert.deepEqual(collections, ['a', 'b', 'c', 'd']);
    const { databases } = await conn.db!.admin().listDatabases();
    assert.ok(databases.some((d) => d.name === 'router_other'));
    assert.ok(databases.some((d) => d.name === 'router_test'));
    assert.equal((await other.db!.stats()).collections, 4);

    const scanned = (await status()).metrics.queryExecutor.scannedObjects;
    for (const name of ['a', 'b', 'c', 'd']) await other.collection(name).findOne({ name: 'nobody' });
    const full = await status();
    // Each thread's queries are counted, wherever they ran: one unindexed document read per collection.
    assert.equal(full.metrics.queryExecutor.scannedObjects - scanned, 4);
    assert.equal(full.shards.length, 3);
    assert.equal(
      full.heap.usedMiB,
      full.shards.reduce((sum, shard) => sum + shard.heap.usedMiB, 0),
    );

    await other.dropDatabase();
    assert.deepEqual(await other.db!.listCollections().toArray(), []);
    for (const name of ['a', 'b', 'c', 'd']) assert.equal(await other.collection(name).countDocuments(), 0);
  });

  test('a message larger than one TCP read, and one sent a byte at a time', { timeout: 60000 }, async () => {
    const text = 'x'.repeat(6_000_000);
    await conn.collection('large').insertOne({ _id: 'big', text } as never);
    assert.equal((await conn.collection('large').findOne({ _id: 'big' as never }))?.text, text);

    const port = Number(new URL(local.uri).port);
    const socket = net.connect(port, '127.0.0.1');
    const reply = new Promise<Buffer>((resolve, reject) => {
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 4 && received.length >= received.readInt32LE(0)) resolve(received);
      });
      socket.on('error', reject);
    });
    const message = opMsg({ count: 'large', query: {}, $db: 'router_test' }, [], 99);
    for (const byte of message) {
      socket.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    const answer = await reply;
    socket.destroy();
    assert.equal(answer.readInt32LE(8), 99, 'answers the request it was sent');
    assert.equal(BSON.deserialize(answer.subarray(21)).n, 1);
  });

  test('a client sending a broken message loses its connection; the others carry on', async () => {
    const port = Number(new URL(local.uri).port);
    const clientsBefore = (await status()).router.clients;
    for (const broken of [
      // A length smaller than a header.
      Buffer.concat([int32(5), int32(1), int32(0), int32(2013)]),
      // A length above MongoDB's 48 MB limit.
      Buffer.concat([int32(60_000_000), int32(1), int32(0), int32(2013)]),
      // A body whose first field has a type BSON does not have.
      (() => {
        const message = opMsg({ find: 'rows', $db: 'router_test' });
        message[25] = 0x42;
        return message;
      })(),
    ]) {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(broken));
      const [closedBy] = await Promise.race([
        new Promise<['router']>((resolve) => socket.on('close', () => resolve(['router']))),
        new Promise<['timeout']>((resolve) => setTimeout(() => resolve(['timeout']), 5000)),
      ]);
      socket.destroy();
      assert.equal(closedBy, 'router', 'the router closes the connection');
    }
    assert.equal(await conn.collection('rows').countDocuments(), 95);
    // Closed connections leave nothing behind in the router.
    const deadline = Date.now() + 5000;
    while ((await status()).router.clients > clientsBefore && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal((await status()).router.clients, clientsBefore);
  });
});

describe('starting and stopping the threads', () => {
  test('stopping frees the port; a taken port is a clear start error', { timeout: 60000 }, async () => {
    const crashes: Error[] = [];
    const local = await startLocalMongoThread({ port: 0, threads: 2, onCrash: (e) => crashes.push(e) });
    const port = Number(new URL(local.uri).port);
    const conn = await mongoose.createConnection(local.uri, { dbName: 'router_stop' }).asPromise();
    await conn.collection('x').insertOne({ a: 1 });
    await conn.close();
    await local.stop();
    assert.deepEqual(crashes, [], 'a requested stop is not a crash');

    const taken = net.createServer();
    await new Promise<void>((resolve, reject) => {
      taken.once('error', reject);
      taken.listen(port, '127.0.0.1', () => resolve());
    });
    try {
      await assert.rejects(startLocalMongoThread({ port, threads: 2 }), /MongoDB router did not start/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
