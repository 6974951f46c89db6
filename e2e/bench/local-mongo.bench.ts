// MongoDB stand-in benchmark: the writes the services send most, timed through the real driver against the
// stand-in on its own thread (as `npm start` and the pipeline benchmark run it). Phases, each on the same
// collection of work-order-like documents with two outbox entries each:
//   insert   insertMany in batches of 100 (an InsertBatcher's round trips)
//   pull     a relay's removal of published events: updateMany {_id: {$in: ids}} with {$pull: {outbox: {_id: {$in}}}}
//   update   conditional updateOne in unordered bulkWrites of 200 (a projection's only-if-newer writes)
// Writes e2e/bench/results/local-mongo.json. Usage: npm run bench:local-mongo   (BENCH_DOCUMENTS, default 20000)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startLocalMongoThread } from '@complaints/platform/local-infra';
import { machineFacts } from '@complaints/platform/testing';

type Document = mongoose.mongo.Document;
type AnyBulkWriteOperation = mongoose.mongo.AnyBulkWriteOperation;

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 20000);
const PULL_BATCH = Number(process.env.BENCH_PULL_BATCH ?? 250);
if (!Number.isInteger(DOCUMENTS) || DOCUMENTS < 1000)
  throw new Error(
    `BENCH_DOCUMENTS must be a whole number of at least 1000, got ${process.env.BENCH_DOCUMENTS}`,
  );

interface Phase {
  operations: number;
  seconds: number;
  perSecond: number;
}

function workOrder(n: number): Document {
  const id = `WO-CMP-${String(n).padStart(8, '0')}`;
  const at = new Date(Date.UTC(2026, 10, 1) + n * 1000);
  const event = (step: string) => ({
    _id: `${id}/${step}`,
    topic: 'complaints.activity.v1',
    key: id,
    value: JSON.stringify({ id: `${id}/${step}`, step, text: '夜间电压偏低，空调无法启动'.repeat(8) }),
    createdAt: at,
  });
  return {
    _id: id,
    status: 'assigned',
    team: n % 2 ? 'power-quality' : 'customer-service',
    grade: ['general', 'important', 'major'][n % 3],
    version: 2,
    slaCheckAt: new Date(at.getTime() + 3_600_000),
    history: [
      { at, step: 'created', actor: 'resolution' },
      { at, step: 'assigned', actor: 'resolution' },
    ],
    outbox: [event('created'), event('assigned')],
  };
}

async function timed(operations: number, run: () => Promise<void>): Promise<Phase> {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  return { operations, seconds: Number(seconds.toFixed(3)), perSecond: Math.round(operations / seconds) };
}

async function main(): Promise<void> {
  const mongo = await startLocalMongoThread({ port: 0 });
  const client = await new mongoose.mongo.MongoClient(mongo.uri, { maxPoolSize: 1 }).connect();
  try {
    const orders = client.db('bench').collection('work_orders');
    const ids = Array.from({ length: DOCUMENTS }, (_, n) => workOrder(n)._id as string);
    const insert = await timed(DOCUMENTS, async () => {
      for (let from = 0; from < DOCUMENTS; from += 100)
        await orders.insertMany(
          Array.from({ length: Math.min(100, DOCUMENTS - from) }, (_, i) => workOrder(from + i)),
          { ordered: false },
        );
    });
    const pull = await timed(DOCUMENTS, async () => {
      for (let from = 0; from < DOCUMENTS; from += PULL_BATCH) {
        const batch = ids.slice(from, from + PULL_BATCH);
        await orders.updateMany({ _id: { $in: batch } } as Document, {
          $pull: { outbox: { _id: { $in: batch.flatMap((id) => [`${id}/created`, `${id}/assigned`]) } } },
        });
      }
    });
    const left = await orders.countDocuments({ 'outbox.0': { $exists: true } });
    if (left !== 0) throw new Error(`${left} documents still hold outbox entries after the pulls`);
    const update = await timed(DOCUMENTS, async () => {
      for (let from = 0; from < DOCUMENTS; from += 200) {
        const ops: AnyBulkWriteOperation[] = ids.slice(from, from + 200).map((id) => ({
          updateOne: {
            filter: { _id: id, $or: [{ version: { $exists: false } }, { version: { $lt: 3 } }] },
            update: { $set: { version: 3, status: 'in_progress', updatedAt: new Date() } },
          },
        }));
        await orders.bulkWrite(ops, { ordered: false });
      }
    });
    const updated = await orders.countDocuments({ version: 3 });
    if (updated !== DOCUMENTS) throw new Error(`${updated} of ${DOCUMENTS} documents were updated`);

    const result = {
      date: new Date().toISOString(),
      machine: machineFacts(),
      documents: DOCUMENTS,
      pullBatch: PULL_BATCH,
      insertDocumentsPerSecond: insert,
      pullDocumentsPerSecond: pull,
      conditionalUpdatesPerSecond: update,
    };
    console.log(JSON.stringify(result, null, 2));
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'local-mongo.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote e2e/bench/results/local-mongo.json');
  } finally {
    await client.close();
    await mongo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
