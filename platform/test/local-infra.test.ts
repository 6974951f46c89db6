// Exercises the local Kafka and MongoDB stand-ins through the real kafkajs and mongoose clients.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Kafka, logLevel, type Admin, type Consumer, type EachMessagePayload } from 'kafkajs';
import mongoose, { Schema, type Connection } from 'mongoose';
import { ObjectId } from 'mongodb';
import {
  startLocalKafka,
  startLocalMongo,
  startLocalMongoThread,
  oldGenerationCapMb,
  type LocalKafka,
  type LocalMongo,
} from '../src/local-infra/index';
import { sameValue, SortedEntries } from '../src/local-infra/local-mongo';
import type { RetentionLoss } from '../src/local-infra/kafka-front';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

function canConnect(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local Kafka stand-in', () => {
  let local: LocalKafka;
  let kafka: Kafka;
  let admin: Admin;
  const run = Date.now().toString(36);

  before(async () => {
    local = await startLocalKafka({ port: 0 });
    kafka = new Kafka({
      clientId: 'local-infra-test',
      brokers: [local.brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 100 },
    });
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await admin?.disconnect();
    await local?.stop();
  });

  test('advertises the front, with a controller kafkajs can use', async () => {
    const cluster = await admin.describeCluster();
    assert.equal(cluster.brokers.length, 1);
    const broker = cluster.brokers[0];
    assert.equal(`${broker.host}:${broker.port}`, local.brokers);
    assert.equal(cluster.controller, broker.nodeId);
  });

  test('createTopics creates topics and reports existing ones', async () => {
    const created = await admin.createTopics({
      topics: [{ topic: `orders-${run}`, numPartitions: 3 }, { topic: `audit-${run}` }],
    });
    assert.equal(created, true);
    const topics = await admin.listTopics();
    assert.ok(topics.includes(`orders-${run}`) && topics.includes(`audit-${run}`));
    const meta = await admin.fetchTopicMetadata({ topics: [`orders-${run}`, `audit-${run}`] });
    const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    assert.deepEqual(partitions, { [`orders-${run}`]: 3, [`audit-${run}`]: 1 });

    assert.equal(await admin.createTopics({ topics: [{ topic: `orders-${run}`, numPartitions: 3 }] }), false);
    await assert.rejects(
      admin.createTopics({ topics: [{ topic: `replicated-${run}`, replicationFactor: 3 }] }),
    );
    assert.ok(!(await admin.listTopics()).includes(`replicated-${run}`));

    const dryRun = { validateOnly: true, waitForLeaders: false };
    assert.equal(await admin.createTopics({ ...dryRun, topics: [{ topic: `dry-${run}` }] }), true);
    assert.ok(!(await admin.listTopics()).includes(`dry-${run}`));
    assert.equal(await admin.createTopics({ ...dryRun, topics: [{ topic: `audit-${run}` }] }), false);
  });

  test('metadata requests that disallow auto-creation do not create topics', async () => {
    await assert.rejects(admin.fetchTopicMetadata({ topics: [`missing-${run}`] }));
    assert.ok(!(await admin.listTopics()).includes(`missing-${run}`));
  });

  test('keyed messages flow through a consumer group that resumes from committed offsets', async () => {
    const topic = `orders-${run}`;
    const groupId = `billing-${run}`;
    const producer = kafka.producer();
    await producer.connect();
    const first = Array.from({ length: 12 }, (_, i) => ({ key: `customer-${i % 4}`, value: `first-${i}` }));
    await producer.send({ topic, messages: first });

    const consume = async (expected: number): Promise<{ consumer: Consumer; seen: EachMessagePayload[] }> => {
      // A short session keeps the mock's post-leave rebalance stall (session timeout - 1 s) short;
      // a short fetch wait keeps disconnect() from waiting out a 5 s long-poll.
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: 6000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 200,
      });
      const seen: EachMessagePayload[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: (payload) => {
          seen.push(payload);
          return Promise.resolve();
        },
      });
      await waitFor(() => seen.length >= expected, 20_000, `${expected} messages`);
      return { consumer, seen };
    };

    const one = await consume(first.length);
    const values = one.seen.map((m) => m.message.value!.toString()).sort();
    assert.deepEqual(values, first.map((m) => m.value).sort());
    // One key, one partition: that is what keeps a customer's events in order.
    const partitionOfKey = new Map<string, number>();
    for (const { message, partition } of one.seen) {
      const key = message.key!.toString();
      assert.equal(partitionOfKey.get(key) ?? partition, partition, `key ${key} spread over partitions`);
      partitionOfKey.set(key, partition);
    }
    await one.consumer.disconnect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedTotal = committed[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    assert.equal(committedTotal, first.length);

    const second = [
      { key: 'customer-1', value: 'second-0' },
      { key: 'customer-2', value: 'second-1' },
    ];
    await producer.send({ topic, messages: second });
    const two = await consume(second.length);
    // Give a wrong restart from the beginning time to show itself before judging.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(two.seen.map((m) => m.message.value!.toString()).sort(), ['second-0', 'second-1']);
    await two.consumer.disconnect();
    await producer.disconnect();
  });

  test('a fetch returns every record batch up to its byte limits, as Kafka does (the mock alone returns one)', async () => {
    const topic = `backlog-${run}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    // One send per message: a backlog of 30 one-message batches in each partition, as an outbox relay leaves behind.
    for (let i = 0; i < 60; i++)
      await producer.send({
        topic,
        messages: [{ partition: i % 2, key: `k${i}`, value: `${i}:${'x'.repeat(300)}` }],
      });
    await producer.disconnect();

    const firstBatches = async (maxBytesPerPartition: number) => {
      const consumer = kafka.consumer({
        groupId: `backlog-${maxBytesPerPartition}-${run}`,
        sessionTimeout: 6000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 200,
        maxBytesPerPartition,
      });
      const batches = new Map<number, number[]>();
      let seen = 0;
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: ({ batch }) => {
          const offsets = batch.messages.map((m) => Number(m.offset));
          if (!batches.has(batch.partition)) batches.set(batch.partition, offsets);
          seen += offsets.length;
          return Promise.resolve();
        },
      });
      await waitFor(() => seen >= 60, 20_000, 'the whole backlog');
      await consumer.disconnect();
      return batches;
    };

    const whole = await firstBatches(1024 * 1024);
    for (const partition of [0, 1]) {
      const expected = Array.from({ length: 30 }, (_, i) => i);
      assert.deepEqual(
        whole.get(partition),
        expected,
        `partition ${partition}: the whole backlog in one fetch`,
      );
    }
    // Each one-message batch is about 370 bytes: a 1 KiB limit stops gathering after the third.
    const limited = await firstBatches(1024);
    for (const partition of [0, 1]) {
      const offsets = limited.get(partition) ?? [];
      assert.ok(
        offsets.length >= 2 && offsets.length <= 4,
        `partition ${partition}: ${offsets.length} messages`,
      );
      assert.deepEqual(
        offsets,
        Array.from({ length: offsets.length }, (_, i) => i),
      );
    }
  });

  /** A consumer reads one message, stalls while more than the mock's 5 MiB per partition arrives, then goes on. */
  const lagBehindRetention = async (retainBytes: number) => {
    const losses: RetentionLoss[] = [];
    const own = await startLocalKafka({ port: 0, retainBytes, onRetentionLoss: (loss) => losses.push(loss) });
    const client = new Kafka({
      clientId: 'retention-test',
      brokers: [own.brokers],
      logLevel: logLevel.NOTHING,
    });
    const topic = `retention-${retainBytes}-${run}`;
    const producer = client.producer();
    const consumer = client.consumer({
      groupId: `retention-${retainBytes}-${run}`,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    const seen: string[] = [];
    try {
      const ownAdmin = client.admin();
      await ownAdmin.connect();
      await ownAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      await ownAdmin.disconnect();
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'first' }] });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value!.toString().slice(0, 12));
          if (seen.length === 1) await held;
        },
      });
      await waitFor(() => seen.length === 1, 20_000, 'the first message');
      const big = 'x'.repeat(200 * 1024);
      for (let i = 0; i < 30; i++)
        await producer.send({ topic, messages: [{ value: `${String(i).padStart(2, '0')}:${big}` }] });
      release();
      await waitFor(
        () => losses.length > 0 || seen.length === 31,
        20_000,
        'either every message or a loss report',
      );
      await new Promise((r) => setTimeout(r, 300));
      return { losses, seen, topic };
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await own.stop();
    }
  };

  test("events the mock deleted before a lagging consumer read them come from the front's copy", async () => {
    const { losses, seen } = await lagBehindRetention(64 * 1024 * 1024);
    assert.deepEqual(losses, []);
    assert.deepEqual(seen, [
      'first',
      ...Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, '0')}:xxxxxxxxx`),
    ]);
  });

  test('without the copy, events the mock deleted are reported as lost, not dropped silently', async () => {
    const { losses, seen, topic } = await lagBehindRetention(0);
    assert.ok(losses.length > 0, 'a loss is reported');
    assert.equal(losses[0].topic, topic);
    assert.equal(losses[0].partition, 0);
    assert.ok(losses[0].logStartOffset > 1n, `log start ${losses[0].logStartOffset}`);
    assert.ok(seen.length < 31, 'the mock alone really did lose events');
  });

  test('outage makes the broker unreachable and restore brings it back with its data', async () => {
    const topic = `audit-${run}`;
    // Few, fast retries: enough to ride out a reconnect, too few to outlast the outage.
    const producer = kafka.producer({ retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 } });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'a', value: 'before' }] });

    await local.outage();
    assert.equal(await canConnect(local.brokers), false);
    await assert.rejects(producer.send({ topic, messages: [{ key: 'a', value: 'during' }] }));

    await local.restore();
    assert.equal(await canConnect(local.brokers), true);
    await producer.send({ topic, messages: [{ key: 'a', value: 'after' }] });
    const offsets = await admin.fetchTopicOffsets(topic);
    assert.equal(
      offsets.reduce((sum, p) => sum + Number(p.high), 0),
      2,
    );
    await producer.disconnect();
  });
});

// Every behaviour of the stand-in, once with its default budget of documents kept as objects, once with every
// document turned into BSON bytes as soon as it is written (the state of older documents under load), and once
// with the collections spread over three threads behind the router (as the local-infra command runs it).
for (const storage of [
  { name: '', hotDocuments: undefined },
  { name: ' (every document kept as BSON bytes)', hotDocuments: 0 },
  { name: ' (collections on three threads behind the router)', threads: 3 },
])
  describe(`local MongoDB stand-in${storage.name}`, () => {
    let local: LocalMongo;
    let conn: Connection;

    interface OutboxEntry {
      id: string;
      topic: string;
    }
    interface Complaint {
      _id: string;
      status: string;
      attempts: number;
      outbox: OutboxEntry[];
    }
    const complaintSchema = new Schema<Complaint>({
      _id: String,
      status: String,
      attempts: { type: Number, default: 0 },
      outbox: [{ _id: false, id: String, topic: String }],
    });

    before(async () => {
      local = storage.threads
        ? await startLocalMongoThread({ port: 0, threads: storage.threads })
        : await startLocalMongo({ port: 0, hotDocuments: storage.hotDocuments });
      conn = await mongoose.createConnection(local.uri, { dbName: 'local_infra_test' }).asPromise();
    });

    after(async () => {
      await conn?.close();
      await local?.stop();
    });

    test('CRUD with generated ObjectIds and with string ids', async () => {
      const Note = conn.model('Note', new Schema({ text: String }));
      const note = await Note.create({ text: 'hello' });
      assert.equal((await Note.findById(note._id).lean())?.text, 'hello');
      await Note.updateOne({ _id: note._id }, { $set: { text: 'bye' } });
      assert.equal((await Note.findById(note._id).lean())?.text, 'bye');
      assert.equal((await Note.deleteOne({ _id: note._id })).deletedCount, 1);
      assert.equal(await Note.countDocuments(), 0);

      const Complaint = conn.model('Complaint', complaintSchema);
      await Complaint.create({ _id: 'C-1', status: 'new' });
      // A 24-hex string must stay a string, not turn into an ObjectId.
      await Complaint.create({ _id: '0123456789abcdef01234567', status: 'new' });
      assert.equal((await Complaint.findById('C-1').lean())?.status, 'new');
      assert.equal((await Complaint.findById('0123456789abcdef01234567').lean())?.status, 'new');
      assert.equal(await Complaint.countDocuments({ status: 'new' }), 2);
    });

    test('ids of different types or that look like one another are different documents', async () => {
      const coll = conn.db!.collection<{ _id: unknown; n: number }>('ids');
      const hex = '0123456789abcdef01234567';
      const ids: unknown[] = [
        hex,
        new ObjectId(hex),
        5,
        '5',
        'n:5',
        's:5',
        's:s:5',
        'e:5',
        `s:${hex}`,
        { a: 5 },
        'abc',
      ];
      await coll.insertMany(ids.map((_id, n) => ({ _id, n })));
      for (const [n, _id] of ids.entries()) assert.equal((await coll.findOne({ _id }))?.n, n, String(_id));
      const all = await coll.find({}).toArray();
      assert.deepEqual(new Set(all.map((d) => d.n)), new Set(ids.keys()));
      await assert.rejects(coll.insertOne({ _id: 'n:5', n: 99 }), { code: 11000 });
      assert.equal((await coll.deleteOne({ _id: '5' })).deletedCount, 1);
      assert.equal((await coll.findOne({ _id: 5 }))?.n, 2);
      assert.equal(await coll.countDocuments({ _id: { $in: [5, 's:5', hex] } }), 3);
    });

    test('duplicate _id raises 11000 through mongoose', async () => {
      const Complaint = conn.model<Complaint>('Complaint');
      await Complaint.create({ _id: 'C-dup', status: 'new' });
      await assert.rejects(Complaint.create({ _id: 'C-dup', status: 'again' }), (err: { code?: number }) => {
        assert.equal(err.code, 11000);
        return true;
      });
      const Note = conn.model('Note');
      const note = await Note.create({ text: 'x' });
      await assert.rejects(Note.create({ _id: note._id, text: 'y' }), { code: 11000 });
      assert.equal((await Complaint.findById('C-dup').lean())?.status, 'new');
    });

    test('findOneAndUpdate returns the updated document and can upsert', async () => {
      const Complaint = conn.model<Complaint>('Complaint');
      await Complaint.create({ _id: 'C-2', status: 'new' });
      const updated = await Complaint.findOneAndUpdate(
        { _id: 'C-2', status: 'new' },
        { $set: { status: 'routed' }, $inc: { attempts: 1 } },
        { new: true },
      ).lean();
      assert.equal(updated?.status, 'routed');
      assert.equal(updated?.attempts, 1);
      const missed = await Complaint.findOneAndUpdate(
        { _id: 'C-2', status: 'new' },
        { $set: { status: 'x' } },
      ).lean();
      assert.equal(missed, null);
      const upserted = await Complaint.findOneAndUpdate(
        { _id: 'C-3' },
        { $setOnInsert: { status: 'new' } },
        { upsert: true, new: true },
      ).lean();
      assert.equal(upserted?._id, 'C-3');
      assert.equal(upserted?.status, 'new');
    });

    test('_id lookups stay exact on a collection large enough for the _id shortcut', async () => {
      const Item = conn.model('Item', new Schema({ _id: Schema.Types.Mixed, n: Number }));
      const oids = Array.from({ length: 150 }, () => new mongoose.Types.ObjectId());
      await Item.insertMany([
        ...oids.map((_id, n) => ({ _id, n })),
        ...Array.from({ length: 150 }, (_, n) => ({ _id: `item-${n}`, n: 1000 + n })),
        { _id: 7, n: 7 },
      ]);
      assert.equal((await Item.findOne({ _id: oids[42] }).lean())?.n, 42);
      const some = await Item.find({ _id: { $in: [oids[3], 'item-5', oids[149], 'item-none'] } }).lean();
      assert.deepEqual(
        some.map((d) => d.n).sort((a, b) => a - b),
        [3, 149, 1005],
      );
      assert.equal(await Item.countDocuments({ _id: oids[3], n: 4 }), 0);
      assert.equal(await Item.countDocuments({ _id: { $ne: oids[3] } }), 300);
      assert.equal((await Item.findOne({ _id: 7 }).lean())?.n, 7);
    });

    test('queries past the narrowing threshold return exactly what a full scan returns', async () => {
      const coll = conn.collection('narrowing');
      const base = new Date('2026-01-01T00:00:00Z').getTime();
      await coll.insertMany(
        Array.from({ length: 600 }, (_, i) => ({
          _id: `n-${i}` as never,
          account: `A${i % 7}`,
          grade: ['general', 'important', 'major'][i % 3],
          tags: i % 5 === 0 ? ['vip', 'repeat'] : [],
          score: i,
          outbox: i % 10 === 0 ? [{ id: `e${i}`, createdAt: new Date(base + i * 1000) }] : [],
          ...(i % 4 === 0 ? { closedAt: new Date(base + i * 60_000) } : {}),
        })),
      );
      const ids = async (filter: object) =>
        (await coll.find(filter).toArray()).map((d) => String(d._id)).sort();
      const expect = (pred: (i: number) => boolean) =>
        Array.from({ length: 600 }, (_, i) => i)
          .filter(pred)
          .map((i) => `n-${i}`)
          .sort();
      assert.deepEqual(
        await ids({ account: 'A3' }),
        expect((i) => i % 7 === 3),
      );
      assert.deepEqual(
        await ids({ grade: { $in: ['major', 'general'] } }),
        expect((i) => i % 3 !== 1),
      );
      assert.deepEqual(
        await ids({ tags: 'vip' }),
        expect((i) => i % 5 === 0),
        'equality matches inside arrays',
      );
      assert.deepEqual(
        await ids({ 'outbox.createdAt': { $lte: new Date(base + 300_000) } }),
        expect((i) => i % 10 === 0 && i <= 300),
        'dotted path through arrays, empty ones skipped',
      );
      assert.deepEqual(
        await ids({ account: 'A1', closedAt: { $gte: new Date(base + 100 * 60_000) } }),
        expect((i) => i % 7 === 1 && i % 4 === 0 && i >= 100),
      );
      assert.deepEqual(
        await ids({ closedAt: { $exists: false }, score: { $lt: 20 } }),
        expect((i) => i % 4 !== 0 && i < 20),
      );
      assert.deepEqual(
        await ids({ grade: { $in: ['general', null] }, score: { $lt: 9 } }),
        expect((i) => i % 3 === 0 && i < 9),
      );
      assert.deepEqual(
        await ids({ score: { $gt: 100, $lte: 110 } }),
        expect((i) => i > 100 && i <= 110),
        'both bounds of a numeric range',
      );
      assert.deepEqual(
        await ids({
          closedAt: { $lte: new Date(base + 40 * 60_000) },
          $or: [{ grade: 'general' }, { score: 8 }],
        }),
        expect((i) => i % 4 === 0 && i <= 40 && (i % 3 === 0 || i === 8)),
        'a date range beside an $or (the time-limit scheduler asks like this)',
      );
    });

    test('indexed queries stay exact while documents are inserted, updated, moved and deleted', async () => {
      const coll = conn.collection('indexed');
      const statuses = ['open', 'resolved', 'closed'];
      const base = new Date('2026-01-01T00:00:00Z').getTime();
      await coll.insertMany(
        Array.from({ length: 400 }, (_, i) => ({
          _id: `x-${i}` as never,
          status: statuses[i % 3],
          account: i % 11,
          tags: i % 6 === 0 ? ['vip'] : [],
          ...(i % 8 === 0 ? { due: new Date(base + i * 1000) } : {}),
        })),
      );
      type Row = { _id: string; status?: string; account?: number; tags?: string[]; due?: Date };
      const queries: Array<[object, (d: Row) => boolean]> = [
        [{ status: 'open' }, (d) => d.status === 'open'],
        [
          { status: { $in: ['resolved', 'closed'] }, account: 3 },
          (d) => d.status !== 'open' && d.account === 3,
        ],
        [{ account: { $eq: 5 } }, (d) => d.account === 5],
        [{ tags: 'vip' }, (d) => (d.tags ?? []).includes('vip')],
        [{ due: { $lte: new Date(base + 200_000) } }, (d) => !!d.due && d.due.getTime() <= base + 200_000],
      ];
      const check = async (when: string) => {
        // A filter-less read is never narrowed: it is the full scan the indexed answers must equal.
        const all = (await coll.find({}).toArray()) as unknown as Row[];
        for (const [filter, pred] of queries) {
          const got = (await coll.find(filter).toArray()).map((d) => String(d._id)).sort();
          const want = all
            .filter(pred)
            .map((d) => d._id)
            .sort();
          assert.deepEqual(got, want, `${JSON.stringify(filter)} ${when}`);
        }
      };
      await check('on first use (indexes built)');
      await coll.updateMany({ status: 'open', account: { $in: [1, 2] } }, { $set: { status: 'resolved' } });
      await coll.updateOne({ _id: 'x-7' as never }, { $set: { account: 5, tags: ['vip', 'repeat'] } });
      await coll.updateOne({ _id: 'x-8' as never }, { $unset: { due: '' } });
      await coll.updateOne({ _id: 'x-9' as never }, { $set: { due: new Date(base) } });
      await coll.deleteMany({ account: 4 });
      await coll.insertOne({ _id: 'x-new' as never, status: 'open', account: 3, tags: ['vip'] });
      await coll.updateOne(
        { _id: 'x-up' as never },
        { $set: { status: 'closed', account: 3 } },
        { upsert: true },
      );
      await check('after updates, deletes, inserts and an upsert');
      assert.equal(await coll.countDocuments({ account: 4 }), 0);
    });

    test('date and number ranges are answered from an ordered index, exactly', async () => {
      const coll = conn.collection('ranges');
      const base = new Date('2026-03-01T00:00:00Z').getTime();
      const valueOf = (i: number): unknown => {
        if (i % 10 === 0) return null;
        if (i % 10 === 1) return `s-${i}`;
        if (i % 10 === 2) return i; // numbers beside dates: never in a date range
        if (i % 10 === 3) return [new Date(base + i * 1000)];
        if (i % 10 === 4) return new Date(Number.NaN);
        return new Date(base + (i % 500) * 1000); // equal times on several documents
      };
      await coll.insertMany(
        Array.from({ length: 3000 }, (_, i) => ({
          _id: `r-${i}` as never,
          at: valueOf(i),
          n: i % 2 ? i : -i,
        })),
      );
      const all = await coll.find({}).toArray();
      const scanned = async () =>
        (
          (await conn.db!.admin().serverStatus()) as {
            metrics: { queryExecutor: { scannedObjects: number } };
          }
        ).metrics.queryExecutor.scannedObjects;
      // MongoDB's matching: a range matches values of the bound's type, or an array element that does.
      const time = (v: unknown) => (v instanceof Date ? v.getTime() : Number.NaN);
      const dateIn = (v: unknown, test: (t: number) => boolean): boolean =>
        Array.isArray(v) ? v.some((x) => dateIn(x, test)) : v instanceof Date && test(time(v));
      const cases: Array<[string, object, (d: (typeof all)[number]) => boolean]> = [
        [
          'before a date',
          { at: { $lt: new Date(base + 20_000) } },
          (d) => dateIn(d.at, (t) => t < base + 20_000),
        ],
        [
          'between two dates, ends excluded and included',
          { at: { $gt: new Date(base + 100_000), $lte: new Date(base + 130_000) } },
          (d) => dateIn(d.at, (t) => t > base + 100_000 && t <= base + 130_000),
        ],
        [
          'the tighter of two low ends',
          { at: { $gte: new Date(base + 5_000), $gt: new Date(base + 480_000) } },
          (d) => dateIn(d.at, (t) => t > base + 480_000),
        ],
        [
          'equal to a date',
          { at: { $eq: new Date(base + 55_000) } },
          (d) => dateIn(d.at, (t) => t === base + 55_000),
        ],
        ['numbers only', { n: { $gte: 2990 } }, (d) => (d.n as number) >= 2990],
        [
          'negative numbers',
          { n: { $lt: -2990, $gt: -2996 } },
          (d) => (d.n as number) < -2990 && (d.n as number) > -2996,
        ],
      ];
      for (const [name, filter, want] of cases) {
        const before = await scanned();
        const got = (await coll.find(filter).toArray()).map((d) => String(d._id)).sort();
        const examined = (await scanned()) - before;
        const expected = all
          .filter(want)
          .map((d) => String(d._id))
          .sort();
        assert.deepEqual(got, expected, name);
        // Candidates are the values in range plus the arrays (mingo decides those), never the whole collection.
        assert.ok(
          examined <= expected.length + 300,
          `${name}: examined ${examined} of 3000 for ${expected.length}`,
        );
      }
      const before = await scanned();
      await coll.find({ at: { $type: 'date' } }).toArray();
      assert.equal(
        (await scanned()) - before,
        3000,
        'a condition the index cannot answer reads every document',
      );

      // Values that move keep the index exact: dates change, become numbers, null, arrays, or disappear.
      for (let i = 5; i < 3000; i += 37) {
        const at = [new Date(base + 999_000), 7, null, [new Date(base + 1000)], undefined][i % 5];
        await coll.updateOne(
          { _id: `r-${i}` as never },
          at === undefined ? { $unset: { at: 1 } } : { $set: { at } },
        );
      }
      await coll.deleteMany({ _id: { $in: ['r-15', 'r-25', 'r-35'] as never[] } });
      const after = await coll.find({}).toArray();
      for (const [name, filter, want] of cases) {
        const got = (await coll.find(filter).toArray()).map((d) => String(d._id)).sort();
        assert.deepEqual(
          got,
          after
            .filter(want)
            .map((d) => String(d._id))
            .sort(),
          `${name}, after updates`,
        );
      }
    });

    test('the ordered entries stay sorted through many inserts and removals', () => {
      const entries = new SortedEntries();
      const kept = new Map<string, number>();
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let i = 0; i < 20_000; i++) {
        const key = `k${Math.floor(random() * 5000)}`;
        const old = kept.get(key);
        if (old !== undefined) {
          assert.ok(entries.delete(old, key));
          kept.delete(key);
        } else {
          const value = Math.floor(random() * 1000);
          entries.add(value, key);
          kept.set(key, value);
        }
      }
      assert.equal(entries.size, kept.size);
      assert.equal(entries.delete(-1, 'k1'), false, 'an entry never added is not removed');
      const range = {
        kind: 'number' as const,
        low: { value: 200, inclusive: false },
        high: { value: 400, inclusive: true },
      };
      const want = [...kept]
        .filter(([, v]) => v > 200 && v <= 400)
        .sort(([ka, a], [kb, b]) => a - b || (ka < kb ? -1 : 1))
        .map(([k]) => k);
      assert.deepEqual([...entries.keysIn(range)], want, 'in value order');
      assert.equal(entries.countIn(range), want.length);
      assert.equal(entries.countIn({ kind: 'number' }), kept.size);
    });

    test('an update copies only what it writes: the document as it was before stays intact', async () => {
      const coll = conn.db!.collection<Record<string, unknown>>('copy_on_write');
      const original = {
        _id: 'w-1',
        version: 3,
        sla: { response: { deadline: new Date(5), warnedAt: null }, repair: { deadline: new Date(9) } },
        history: [{ what: 'created' }],
        outbox: [{ _id: 'e1' }, { _id: 'e2' }],
        owner: 'x',
        untouched: { deep: { list: [1, 2] } },
      };
      await coll.insertOne(structuredClone(original));
      const before = await coll.findOneAndUpdate(
        { _id: 'w-1' },
        {
          $set: { 'sla.response.warnedAt': new Date(7) },
          $push: { history: { what: 'warned' } },
          $pull: { outbox: { _id: 'e1' } },
          $inc: { version: 1 },
          $unset: { 'sla.repair.deadline': '' },
          $rename: { owner: 'assignee' },
        },
        { returnDocument: 'before' },
      );
      assert.deepEqual(before, original, 'the pre-image is the stored document, unchanged by the update');
      assert.deepEqual(await coll.findOne({ _id: 'w-1' }), {
        _id: 'w-1',
        version: 4,
        sla: { response: { deadline: new Date(5), warnedAt: new Date(7) }, repair: {} },
        history: [{ what: 'created' }, { what: 'warned' }],
        outbox: [{ _id: 'e2' }],
        untouched: { deep: { list: [1, 2] } },
        assignee: 'x',
      });
      const modified = async (update: object) => (await coll.updateOne({ _id: 'w-1' }, update)).modifiedCount;
      assert.equal(
        await modified({ $set: { 'sla.response.warnedAt': new Date(7) } }),
        0,
        'same nested value',
      );
      assert.equal(await modified({ $set: { 'sla.response.warnedAt': new Date(8) } }), 1, 'new nested value');
      assert.equal(await modified({ $pull: { outbox: { _id: 'none' } } }), 0, 'nothing pulled');
      assert.equal(await modified({ $push: { 'untouched.deep.list': 3 } }), 1);
      assert.deepEqual((await coll.findOne({ _id: 'w-1' }))?.untouched, { deep: { list: [1, 2, 3] } });
    });

    test('the change check compares stored values structurally', () => {
      const id = new mongoose.Types.ObjectId();
      assert.ok(
        sameValue({ a: 1, b: { c: [1, 'x'] } }, { b: { c: [1, 'x'] }, a: 1 }),
        'key order does not matter',
      );
      assert.ok(
        sameValue(
          { at: new Date(5), id },
          { at: new Date(5), id: new mongoose.Types.ObjectId(id.toHexString()) },
        ),
      );
      assert.ok(!sameValue({ at: new Date(5) }, { at: new Date(6) }));
      assert.ok(!sameValue({ id }, { id: new mongoose.Types.ObjectId() }));
      assert.ok(!sameValue({ a: [1, 2] }, { a: [1, 2, 3] }));
      assert.ok(!sameValue({ a: 1 }, { a: 1, b: 2 }));
      assert.ok(!sameValue({ a: '1' }, { a: 1 }));
      assert.ok(!sameValue({ a: [] }, { a: {} }));
      assert.ok(!sameValue({ a: null }, { a: {} }));
    });

    test('updates report modified only for documents that changed, and upsert when nothing matched', async () => {
      const raw = conn.db!.collection<Record<string, unknown>>('modified_counts');
      const at = new Date('2026-01-01T00:00:00Z');
      await raw.insertMany([
        { _id: 'a' as never, status: 'open', at, tags: ['x'], nested: { n: 1 } },
        { _id: 'b' as never, status: 'open', at, tags: ['x'], nested: { n: 1 } },
      ]);
      const same = await raw.updateOne(
        { _id: 'a' as never },
        { $set: { status: 'open', at: new Date(at), tags: ['x'], nested: { n: 1 } } },
      );
      assert.deepEqual([same.matchedCount, same.modifiedCount], [1, 0], 'equal values change nothing');
      const nested = await raw.updateOne({ _id: 'a' as never }, { $set: { 'nested.n': 2 } });
      assert.deepEqual([nested.matchedCount, nested.modifiedCount], [1, 1]);
      const date = await raw.updateOne({ _id: 'a' as never }, { $set: { at: new Date(at.getTime() + 1) } });
      assert.equal(date.modifiedCount, 1, 'a date one millisecond later is a change');
      const many = await raw.updateMany({ status: 'open' }, { $set: { tags: ['x'] }, $inc: { seen: 1 } });
      assert.deepEqual([many.matchedCount, many.modifiedCount], [2, 2]);
      const none = await raw.updateMany({ status: 'open' }, { $push: { tags: 'y' } });
      assert.equal(none.modifiedCount, 2);
      assert.deepEqual((await raw.findOne({ _id: 'b' as never }))?.tags, ['x', 'y']);
      const up = await raw.updateOne({ _id: 'c' as never }, { $set: { status: 'new' } }, { upsert: true });
      assert.deepEqual([up.matchedCount, up.upsertedCount, up.upsertedId], [0, 1, 'c']);
      assert.equal((await raw.findOne({ _id: 'c' as never }))?.status, 'new');
    });

    test('updateMany with $pull removes matching outbox entries', async () => {
      const Complaint = conn.model<Complaint>('Complaint');
      const outbox = (n: string): OutboxEntry[] => [
        { id: `${n}-e1`, topic: 'complaints' },
        { id: `${n}-e2`, topic: 'complaints' },
      ];
      await Complaint.create([
        { _id: 'P-1', status: 'new', outbox: outbox('P-1') },
        { _id: 'P-2', status: 'new', outbox: outbox('P-2') },
        { _id: 'P-3', status: 'new', outbox: outbox('P-3') },
      ]);
      const res = await Complaint.updateMany(
        { _id: { $in: ['P-1', 'P-2'] } },
        { $pull: { outbox: { id: { $in: ['P-1-e1', 'P-2-e1', 'P-2-e2'] } } } },
      );
      assert.equal(res.matchedCount, 2);
      assert.equal(res.modifiedCount, 2);
      const after = await Complaint.find({ _id: { $in: ['P-1', 'P-2', 'P-3'] } })
        .sort({ _id: 1 })
        .lean();
      assert.deepEqual(
        after.map((d) => d.outbox.map((e) => e.id)),
        [['P-1-e2'], [], ['P-3-e1', 'P-3-e2']],
      );
    });

    test('$in and $nin keep types apart and match null, missing fields and dates as MongoDB does', async () => {
      const coll = conn.collection('in_types');
      const x = new Date('2026-03-01T00:00:00Z');
      const values: Array<[string, unknown]> = [
        ['string-1', '1'],
        ['number-1', 1],
        ['true', true],
        ['number-2', 2],
        ['null', null],
        ['missing', undefined],
        ['date-x', new Date(x)],
        ['date-y', new Date('2026-03-02T00:00:00Z')],
        ['string-2', '2'],
      ];
      await coll.insertMany(
        values.map(([id, v]) => (v === undefined ? { _id: id as never } : { _id: id as never, v })),
      );
      const ids = async (filter: object) =>
        (await coll.find(filter).toArray()).map((d) => String(d._id)).sort();
      const wanted = ['date-x', 'missing', 'null', 'number-2', 'string-1'];
      assert.deepEqual(await ids({ v: { $in: ['1', 2, null, x] } }), wanted);
      assert.deepEqual(
        await ids({ v: { $nin: ['1', 2, null, x] } }),
        values
          .map(([id]) => id)
          .filter((id) => !wanted.includes(id))
          .sort(),
      );
      assert.deepEqual(await ids({ v: { $in: [true] } }), ['true'], 'true is not 1');
      assert.deepEqual(await ids({ v: { $in: [1] } }), ['number-1'], '1 is neither true nor "1"');
    });

    test('an OP_MSG carrying its documents as a document sequence inserts every one of them', async () => {
      // What drivers may send for insert, update and delete: the body names the command, a kind-1 section
      // holds the documents. Built by hand here because the Node driver puts documents in the body.
      const { BSON } = await import('mongodb');
      const body = Buffer.from(
        BSON.serialize({ insert: 'sequenced', ordered: true, $db: 'local_infra_test' }),
      );
      const docs = [
        { _id: 'seq-1', text: '电压不稳' },
        { _id: 'seq-2', text: 'plain' },
      ].map((d) => Buffer.from(BSON.serialize(d)));
      const name = Buffer.from('documents\0');
      const sequenceSize = 4 + name.length + docs.reduce((n, d) => n + d.length, 0);
      const sequence = Buffer.concat([Buffer.from([1]), int32(sequenceSize), name, ...docs]);
      const payload = Buffer.concat([int32(0), Buffer.from([0]), body, sequence]);
      const header = Buffer.concat([int32(16 + payload.length), int32(7), int32(0), int32(2013)]);
      const reply = await roundTrip(new URL(local.uri).port, Buffer.concat([header, payload]));
      const answer = BSON.deserialize(reply.subarray(21));
      assert.equal(answer.ok, 1);
      assert.equal(answer.n, 2);
      const stored = await conn.collection('sequenced').find({}).sort({ _id: 1 }).toArray();
      assert.deepEqual(stored, [
        { _id: 'seq-1', text: '电压不稳' },
        { _id: 'seq-2', text: 'plain' },
      ]);
    });
  });

describe('local MongoDB stand-in on its own thread (as the local-infra command runs it)', () => {
  test('serves the driver from the thread and frees its port when stopped', { timeout: 60000 }, async () => {
    const crashes: Error[] = [];
    const threaded = await startLocalMongoThread({ port: 0, onCrash: (error) => crashes.push(error) });
    const conn = await mongoose.createConnection(threaded.uri, { dbName: 'thread_test' }).asPromise();
    try {
      const notes = conn.collection('notes');
      await notes.insertMany([{ _id: 'a', n: 1 } as never, { _id: 'b', n: 2 } as never]);
      await notes.updateOne({ _id: 'b' as never }, { $inc: { n: 40 } });
      assert.deepEqual(await notes.find({}, { sort: { _id: 1 } }).toArray(), [
        { _id: 'a', n: 1 },
        { _id: 'b', n: 42 },
      ]);
    } finally {
      await conn.close();
    }
    const port = Number(new URL(threaded.uri).port);
    await threaded.stop();
    assert.deepEqual(crashes, [], 'a requested stop is not a crash');
    // Its heap may grow past V8's default cap of about 4 GiB: it holds every stored document.
    assert.ok(
      (threaded.heapLimitMb ?? 0) >= oldGenerationCapMb(),
      `heap limit ${threaded.heapLimitMb} MiB, wanted at least ${oldGenerationCapMb()}`,
    );
    // Nothing listens any more: the port can be bound again.
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a port already taken is a clear start error, not a hang', { timeout: 60000 }, async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await assert.rejects(startLocalMongoThread({ port }), /MongoDB stand-in did not start/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value);
  return b;
}

/** Sends one wire message and returns the whole reply. */
function roundTrip(port: string, message: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(message));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        socket.end();
        resolve(received);
      }
    });
    socket.on('error', reject);
  });
}
