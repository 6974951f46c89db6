// Pipeline benchmark: complaints offered at a fixed rate through intake with every service running as its own
// process; latency from POST to the work order existing, throughput, per-process CPU and memory, and a raw
// broker and database baseline measured in the same run. Writes e2e/bench/results/pipeline.json (BENCH_RESULT_FILE).
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import mongoose from 'mongoose';
import { TOPICS } from '@complaints/contracts';
import { machineFacts, withDatabase } from '@complaints/platform/testing';
import { devComplaints } from '../src/dev-set';
import { gauge, histogramBy } from '../src/prometheus';
import { PlatformProcesses, PROJECTION_NICE, type Deployment } from '../src/platform-processes';
import { complaintIdFor } from '@complaints/intake';

const RATE = Number(process.env.BENCH_RATE ?? 550);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 300);
/** Seconds offered at the same rate before the measured run; their figures are reported apart. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
/** Complaints/s offered during the warm-up (default: the measured rate). */
const WARMUP_RATE = Number(process.env.BENCH_WARMUP_RATE ?? RATE);
/** Concurrent partner connections; enough that slow answers do not lower the offered rate. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 128);
/** File name under e2e/bench/results, so runs at other rates can be kept beside the target's. */
const RESULT_FILE = process.env.BENCH_RESULT_FILE ?? 'pipeline.json';
if (!/^[\w.-]+\.json$/.test(RESULT_FILE))
  throw new Error(`BENCH_RESULT_FILE must be a plain .json file name, got "${RESULT_FILE}"`);
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 4500);
/** dispatch-first (default): projections in lower-priority processes; single: each service one process. */
const DEPLOYMENT = (process.env.BENCH_DEPLOYMENT ?? 'dispatch-first') as Deployment;
if (!['dispatch-first', 'single'].includes(DEPLOYMENT))
  throw new Error(`BENCH_DEPLOYMENT must be dispatch-first or single, got "${DEPLOYMENT}"`);
/** BENCH_SHARED_MONGO=1: every service's database on one stand-in server instead of a server each. */
const SHARED_MONGO = process.env.BENCH_SHARED_MONGO === '1';
/** The consumer groups of the projections (complaint status and timeline; KPIs and callbacks). */
const PROJECTION_GROUPS = ['intake-lifecycle', 'feedback-events'];

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
};
/** Count, p50 and p99 of each 10 s of the offered period (by when the complaints were sent). */
const byWindows = (windows: number[][]) =>
  Array.from(windows, (values, i) => {
    const { count, p50, p99 } = summary(values ?? []);
    return { fromSecond: i * 10, count, p50: Math.round(p50), p99: Math.round(p99) };
  });

/**
 * From when each complaint was sent (`sentAt`) to when it reached `done`: all of them, per 10 s of the offered period
 * by when they were sent (shows warm-up, drift or a pipeline falling behind), and split at `routed`.
 */
function latenciesOf(
  sentAt: Map<string, number>,
  started: number,
  routed: Map<string, number>,
  done: Map<string, number>,
) {
  const all: number[] = [];
  const windows: number[][] = [];
  const toRouted: number[] = [];
  const routedToDone: number[] = [];
  for (const [id, sent] of sentAt) {
    const end = done.get(id);
    if (end === undefined) continue;
    all.push(end - sent);
    (windows[Math.floor((sent - started) / 10000)] ??= []).push(end - sent);
    const middle = routed.get(id);
    if (middle !== undefined) {
      toRouted.push(middle - sent);
      routedToDone.push(end - middle);
    }
  }
  return { all, windows, toRouted, routedToDone };
}

/** CPU seconds and resident memory of a process from /proc. */
function sample(pid: number): { cpuSeconds: number; rssMiB: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    const rssPages = Number(stat[21]);
    return { cpuSeconds: ticks / 100, rssMiB: (rssPages * 4096) / 2 ** 20 };
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid` (the stand-ins start the mock broker as a child). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(stat[1]) === pid) found.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

/**
 * Busy and total CPU time of the whole machine, in clock ticks (all cores), from /proc/stat. `steal` is time the hypervisor gave this VM's CPUs to other guests:
 * it counts as busy (nothing here could run), and it is why the same load needs more of the machine on some days.
 */
function machineTicks(): { busy: number; steal: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - fields[4], steal: fields[7] ?? 0, total };
}

async function brokerBaseline(brokers: string) {
  const kafka = new Kafka({
    clientId: 'bench-baseline',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'bench.baseline', numPartitions: 3 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: 'bench.baseline', fromBeginning: false });
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  await consumer.run({
    eachMessage: ({ message }) => {
      const t = sent.get(message.key!.toString());
      if (t !== undefined) latencies.push(performance.now() - t);
      return Promise.resolve();
    },
  });
  await new Promise((r) => setTimeout(r, 4000));
  const value = JSON.stringify({ text: 'x'.repeat(600) });
  const started = performance.now();
  const n = RATE * 10;
  for (let i = 0; i < n; i++) {
    const key = `k${i}`;
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sent.set(key, performance.now());
    void producer.send({ topic: 'bench.baseline', messages: [{ key, value }] });
  }
  const deadline = Date.now() + 20000;
  while (latencies.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  return { offeredPerSecond: RATE, seconds: 10, roundTripMs: summary(latencies) };
}

async function databaseBaseline(uri: string) {
  const connection = await mongoose.createConnection(withDatabase(uri, 'bench-baseline')).asPromise();
  const collection = connection.collection('raw');
  const latencies: number[] = [];
  const n = 3000;
  let i = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (i < n) {
        const k = i++;
        const t = performance.now();
        await collection.insertOne({ _id: `raw-${k}` as never, text: 'x'.repeat(600), at: new Date() });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await connection.close();
  return {
    inserts: n,
    concurrency: 16,
    insertsPerSecond: Math.round(n / seconds),
    insertMs: summary(latencies),
  };
}

/**
 * Per process: how many warn/error log lines it kept, and up to five distinct messages with their counts and the
 * first line of each (the services mask personal data in their logs), so that a warning can be traced afterwards.
 */
function warningsOf(
  logs: Map<string, string[]>,
  names: readonly string[],
): Record<string, { lines: number; messages: Record<string, number>; firstLines: Record<string, string> }> {
  return Object.fromEntries(
    names.map((name) => {
      const messages: Record<string, number> = {};
      const firstLines: Record<string, string> = {};
      let lines = 0;
      for (const line of logs.get(name) ?? []) {
        let entry: { level?: string; msg?: string };
        try {
          entry = JSON.parse(line) as { level?: string; msg?: string };
        } catch {
          continue;
        }
        if (entry.level !== 'warn' && entry.level !== 'error' && entry.level !== 'fatal') continue;
        lines++;
        const msg = `${entry.level}: ${entry.msg ?? '(no message)'}`;
        if (!(msg in messages) && Object.keys(messages).length >= 5) continue;
        messages[msg] = (messages[msg] ?? 0) + 1;
        firstLines[msg] ??= line.slice(0, 1000);
      }
      return [name, { lines, messages, firstLines }];
    }),
  );
}

/** Each stand-in server's own figures (serverStatus) and the collections of every database it holds. */
async function standInFigures(uris: Record<string, string>) {
  const byUri = new Map<string, string[]>();
  for (const [service, uri] of Object.entries(uris)) byUri.set(uri, [...(byUri.get(uri) ?? []), service]);
  const servers: Record<string, { documentStore: unknown; interning: unknown; heap: unknown }> = {};
  let collections: Record<string, { documents: number; avgBytes: number }> = {};
  for (const [uri, services] of byUri) {
    const client = await mongoose.mongo.MongoClient.connect(uri);
    try {
      const status = (await client.db('admin').admin().serverStatus()) as {
        documentStore?: unknown;
        interning?: unknown;
        heap?: unknown;
      };
      servers[services.length > 1 ? 'shared' : services[0]] = {
        documentStore: status.documentStore ?? null,
        interning: status.interning ?? null,
        heap: status.heap ?? null,
      };
      collections = { ...collections, ...(await collectionSizes(client.db('admin').admin(), client)) };
    } finally {
      await client.close();
    }
  }
  return { servers, collections };
}

/** Documents and average document size of every collection of every database but MongoDB's own. */
async function collectionSizes(
  admin: mongoose.mongo.Admin,
  client: mongoose.mongo.MongoClient,
): Promise<Record<string, { documents: number; avgBytes: number }>> {
  const sizes: Record<string, { documents: number; avgBytes: number }> = {};
  const { databases } = await admin.listDatabases({ nameOnly: true });
  for (const { name } of databases) {
    if (['admin', 'config', 'local'].includes(name)) continue;
    const db = client.db(name);
    for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const stats = (await db.command({ collStats: collection })) as { count?: number; avgObjSize?: number };
      sizes[`${name}.${collection}`] = {
        documents: stats.count ?? 0,
        avgBytes: Math.round(stats.avgObjSize ?? 0),
      };
    }
  }
  return sizes;
}

/**
 * When each complaint's first event on `topic` that `counts` (by its CloudEvents id) was sent to Kafka: the
 * message's create time, which the producer sets when it sends. Read after the run, from the start of the topic to
 * its end, so it costs the run nothing. The outbox relay sends an event only once the document holding it is stored,
 * so this is an upper bound on when that document was stored: it adds the relay's own wait.
 */
async function announcedAt(
  kafka: Kafka,
  topic: string,
  counts: (eventId: string) => boolean,
): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const left = new Map(
    ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, Number(e.high)]),
  );
  const at = new Map<string, number>();
  if (!left.size) return at;
  const consumer = kafka.consumer({ groupId: `bench-announced-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    autoCommit: false,
    eachBatch: ({ batch }) => {
      for (const message of batch.messages) {
        const key = message.key?.toString();
        if (key === undefined || at.has(key) || !message.value) continue;
        const { id } = JSON.parse(message.value.toString()) as { id: string };
        if (counts(id)) at.set(key, Number(message.timestamp));
      }
      const end = left.get(batch.partition);
      if (end !== undefined && Number(batch.lastOffset()) >= end - 1) left.delete(batch.partition);
      if (!left.size) done();
      return Promise.resolve();
    },
  });
  // From offset 0, not the earliest offset the broker names: the Kafka stand-in's mock has deleted older events by
  // now, and its front answers reads below that from its own copy (kafka-retained-log).
  for (const { partition } of ends) consumer.seek({ topic, partition, offset: '0' });
  const timeout = setTimeout(done, 300_000);
  await finished;
  clearTimeout(timeout);
  await consumer.disconnect();
  if (left.size)
    console.warn(`${topic}: partitions ${[...left.keys()].join(', ')} not read to the end in 5 min`);
  return at;
}

/** Events published but not yet handled by a consumer group, over all its topics and partitions. */
async function groupLag(admin: Admin, groupId: string): Promise<number> {
  let lag = 0;
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const { partition, offset } of partitions) {
      const end = ends.find((e) => e.partition === partition);
      if (!end) continue;
      const committed = Number(offset);
      lag += Number(end.high) - (committed < 0 ? Number(end.low) : committed);
    }
  }
  return lag;
}

async function main(): Promise<void> {
  // BENCH_CPU_PROFILE_DIR: every process writes a V8 CPU profile there when the run ends (open it in Chrome DevTools).
  const logs = new Map<string, string[]>();
  const processes = new PlatformProcesses({
    basePort: BASE_PORT,
    cpuProfileDir: process.env.BENCH_CPU_PROFILE_DIR,
    logs,
    deployment: DEPLOYMENT,
    sharedMongo: SHARED_MONGO,
  });
  try {
    // Inside the try: a service that fails to start must not leave the stand-ins (or the others) running.
    await processes.start();
    const infraEnv = processes.env;
    console.log('baseline: raw broker produce→consume round trip, then raw database inserts');
    const broker = await brokerBaseline(infraEnv.KAFKA_BROKERS);
    const database = await databaseBaseline(infraEnv.MONGODB_URI);

    const texts = devComplaints();
    const sentAt = new Map<string, number>();
    const channels = Object.entries(processes.creds.apiKeys);
    const accepted = new Set<string>();
    // Every process on the machine that takes part: the stand-ins' mock broker and this load generator included.
    const pids: Record<string, number> = {
      ...processes.pids,
      ...Object.fromEntries(
        childrenOf(processes.pids.infra).map((pid, i) => [i ? `infra-child-${pid}` : 'mock-broker', pid]),
      ),
      'load-generator': process.pid,
    };
    let n = 0;
    /** Offers `rate` complaints/s for `seconds`; send times go to `sent`, accepted ids to `accepted`. */
    const offer = (seconds: number, rate: number, sent: Map<string, number>) =>
      autocannon({
        url: `${processes.urls.intake}/v1/complaints`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: seconds,
        overallRate: rate,
        requests: [
          {
            setupRequest: (req) => {
              n++;
              const complaint = texts[n % texts.length];
              const key = `bench-${n}-${randomUUID()}`;
              const [channel, apiKey] = channels[n % channels.length];
              // The id is derived from channel and key, so the send time can be recorded before the answer.
              sent.set(complaintIdFor(channel, key), Date.now());
              req.headers = {
                'content-type': 'application/json',
                'x-api-key': apiKey,
                'idempotency-key': key,
              };
              req.body = JSON.stringify({
                customer: { accountNo: String(6000000000 + (n % 50000)) },
                text: complaint.text,
                location: { transformerArea: `TA-${n % 400}`, areaType: n % 3 ? 'urban' : 'rural' },
              });
              return req;
            },
            onResponse: (status, body) => {
              if (status === 202) accepted.add((JSON.parse(body) as { id: string }).id);
            },
          },
        ],
      });
    // Warm-up (JIT, connection pools, consumer fetch sessions), reported apart from the measured run.
    const warmSentAt = new Map<string, number>();
    if (WARMUP_SECONDS > 0) {
      console.log(`warming up: ${WARMUP_RATE} complaints/s for ${WARMUP_SECONDS}s`);
      await offer(WARMUP_SECONDS, WARMUP_RATE, warmSentAt);
    }
    const machineBefore = machineTicks();
    const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, sample(pid)]));
    const peakRss: Record<string, number> = {};
    // Each process's CPU per 10 s of the offered period (and the machine's): shows what a slow stretch was busy with.
    const cpuBy10s: Array<Record<string, number>> = [];
    let windowStart = { at: performance.now(), machine: machineBefore, cpu: before };
    let ticks = 0;
    const sampler = setInterval(() => {
      const now = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, sample(pid)]));
      for (const [name, stats] of Object.entries(now))
        peakRss[name] = Math.max(peakRss[name] ?? 0, stats?.rssMiB ?? 0);
      if (++ticks % 10 !== 0 || cpuBy10s.length >= Math.ceil(SECONDS / 10)) return;
      const machine = machineTicks();
      const seconds = (performance.now() - windowStart.at) / 1000;
      const total = machine.total - windowStart.machine.total;
      cpuBy10s.push({
        ...Object.fromEntries(
          Object.keys(pids).map((name) => [
            name,
            Math.round(
              (((now[name]?.cpuSeconds ?? 0) - (windowStart.cpu[name]?.cpuSeconds ?? 0)) / seconds) * 100,
            ),
          ]),
        ),
        machineBusy: Math.round(((machine.busy - windowStart.machine.busy) / total) * 100),
        machineSteal: Math.round(((machine.steal - windowStart.machine.steal) / total) * 100),
      });
      windowStart = { at: performance.now(), machine, cpu: now };
    }, 1000);
    console.log(`offering ${RATE} complaints/s through intake for ${SECONDS}s`);
    const started = Date.now();
    const result = await offer(SECONDS, RATE, sentAt);
    const elapsed = (Date.now() - started) / 1000;
    const after = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, sample(pid)]));
    const machineAfter = machineTicks();
    const machineTotal = machineAfter.total - machineBefore.total;
    const machineBusyPercent = Math.round(((machineAfter.busy - machineBefore.busy) / machineTotal) * 100);
    const machineStealPercent = Math.round(((machineAfter.steal - machineBefore.steal) / machineTotal) * 100);

    // Wait for the pipeline to drain, then read each work order's creation time.
    const connection = await mongoose
      .createConnection(withDatabase(processes.mongoUris.resolution, 'e2e-resolution'))
      .asPromise();
    const orders = connection.collection('work_orders');
    // What intake stored, not what the load generator heard back: autocannon stops listening when its time is up,
    // so the answers still in flight then (up to one per connection) never reach `accepted`, yet those complaints
    // were stored and must get their work orders too.
    const intakeDb = await mongoose
      .createConnection(withDatabase(processes.mongoUris.intake, 'e2e-intake'))
      .asPromise();
    const stored = await intakeDb.collection('complaints').countDocuments();
    await intakeDb.close();
    const drainStarted = Date.now();
    let created = 0;
    while (Date.now() - drainStarted < 300000) {
      created = await orders.countDocuments();
      if (created >= Math.max(stored, accepted.size)) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const drainSeconds = Math.round((Date.now() - drainStarted) / 1000);
    const standIns = await standInFigures(processes.mongoUris);
    // The projections may run behind the work orders in a peak (they do by design in dispatch-first): how long
    // after the load stopped every event had reached the complaint statuses, timelines and KPIs.
    const admin = new Kafka({
      clientId: 'bench-lag',
      brokers: infraEnv.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    let projectionLag = NaN;
    while (Date.now() - drainStarted < 900000) {
      const lags = await Promise.all(PROJECTION_GROUPS.map((group) => groupLag(admin, group)));
      projectionLag = lags.reduce((a, b) => a + b, 0);
      if (projectionLag === 0) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    await admin.disconnect();
    const projectionsCaughtUpSeconds =
      projectionLag === 0 ? Math.round((Date.now() - drainStarted) / 1000) : null;
    clearInterval(sampler);
    // Where the time goes: POST → routing decision stored, and routing decision → work order stored.
    const routedAt = new Map<string, number>();
    const routingDb = await mongoose
      .createConnection(withDatabase(processes.mongoUris.routing, 'e2e-routing'))
      .asPromise();
    for await (const routing of routingDb.collection('routings').find({}, { projection: { routedAt: 1 } }))
      routedAt.set(String(routing._id), new Date(routing.routedAt as Date).getTime());
    await routingDb.close();
    const builtAt = new Map<string, number>();
    for await (const order of orders.find({}, { projection: { complaintId: 1, createdAt: 1 } }))
      if (order.createdAt)
        builtAt.set(order.complaintId as string, new Date(order.createdAt as Date).getTime());
    await connection.close();
    // The same to when each was announced (its event sent to Kafka, which the relay does once it is stored): the
    // figures above end when the routing decision and the work order were built, just before they were stored.
    const kafka = new Kafka({
      clientId: 'bench-announced',
      brokers: infraEnv.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const routedSent = await announcedAt(kafka, TOPICS.routed, () => true);
    // A work order's first step (`…/activity/0`) is its creation.
    const orderSent = await announcedAt(kafka, TOPICS.activity, (id) => id.endsWith('/activity/0'));
    const built = latenciesOf(sentAt, started, routedAt, builtAt);
    const warmLatencies = latenciesOf(warmSentAt, started, routedAt, builtAt).all;
    const announced = latenciesOf(sentAt, started, routedSent, orderSent);

    // Each service's own account of its hops: consumer lag and handler time per topic, outbox delay, HTTP time.
    const hops = Object.fromEntries(
      await Promise.all(
        processes.processNames.map(async (name) => {
          const response = await fetch(`${processes.urls[name]}/metrics`, {
            headers: { authorization: `Bearer ${processes.creds.tokens.ops}` },
          });
          const text = await response.text();
          return [
            name,
            {
              consumeLag: histogramBy(text, 'event_consume_lag_seconds', 'topic'),
              handle: histogramBy(text, 'event_handle_duration_seconds', 'topic'),
              outboxDelay: histogramBy(text, 'outbox_publish_delay_seconds', 'topic'),
              http: histogramBy(text, 'http_request_duration_seconds', 'route'),
              eventLoopLagP99Ms: Math.round((gauge(text, 'nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000),
            },
          ] as const;
        }),
      ),
    );

    const processStats = Object.fromEntries(
      Object.keys(pids).map((name) => [
        name,
        {
          cpuPercent: Math.round(
            (((after[name]?.cpuSeconds ?? 0) - (before[name]?.cpuSeconds ?? 0)) / elapsed) * 100,
          ),
          peakRssMiB: Math.round(peakRss[name] ?? 0),
        },
      ]),
    );
    const pipeline = summary(built.all);
    const figures = {
      date: new Date().toISOString(),
      machine: machineFacts(),
      backend:
        'local stand-ins (librdkafka mock broker behind the Kafka-wire front; smartmongo wire server), each service its own process',
      deployment:
        DEPLOYMENT === 'dispatch-first'
          ? `dispatch-first: intake API, routing and resolution at normal priority; intake-projector and feedback at nice ${PROJECTION_NICE}`
          : 'single: each service one process, all at normal priority',
      offered: {
        perSecond: RATE,
        seconds: SECONDS,
        warmUpSeconds: WARMUP_SECONDS,
        warmUpPerSecond: WARMUP_RATE,
        connections: CONNECTIONS,
      },
      intake: {
        accepted: result['2xx'],
        acceptedPerSecond: Math.round(result['2xx'] / elapsed),
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        httpLatencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      },
      workOrders: {
        /** Complaints intake stored (warm-up included), and work orders when the drain ended. */
        complaintsStored: stored,
        created,
        drainSeconds,
        missing: Math.max(0, stored - created, accepted.size - created),
      },
      projections: {
        groups: PROJECTION_GROUPS,
        /** Seconds after the load stopped until both groups had handled every event (null: not within 15 min). */
        caughtUpSeconds: projectionsCaughtUpSeconds,
        eventsBehindAtEnd: projectionLag,
      },
      /** Where the services' databases were: one stand-in server each (as in production), or one shared. */
      mongoServers: SHARED_MONGO ? 'shared' : 'one per service',
      /** Each database's collections after the drain: documents and their average size (what collStats reports). */
      collections: standIns.collections,
      /** Per stand-in server (named by the service it served, or `shared`), after the drain: its documents kept as
       * objects and as BSON bytes, the strings and dates its stored documents share, and its thread's heap with its
       * garbage collections over the whole run (all absent with a real MongoDB). */
      mongoStandIns: standIns.servers,
      // The Kafka stand-in deletes events beyond 5 MiB / 100,000 batches per partition; a consumer lagging further loses them.
      /** Each service's warnings and errors among the last 2,000 lines of its log (LOG_LEVEL=warn), by message. */
      serviceWarnings: warningsOf(logs, processes.processNames),
      standInRetentionLosses: (logs.get('infra') ?? []).filter((line) => line.includes('retention loss'))
        .length,
      /** POST → work order built (its `createdAt`, set just before the insert): a lower bound of POST → stored. */
      postToWorkOrderMs: pipeline,
      warmUpPostToWorkOrderMs: summary(warmLatencies),
      postToWorkOrderBy10sMs: byWindows(built.windows),
      /** POST → the work order's creation event sent to Kafka, once it was stored: an upper bound of POST → stored. */
      postToWorkOrderAnnouncedMs: summary(announced.all),
      postToWorkOrderAnnouncedBy10sMs: byWindows(announced.windows),
      stagesMs: {
        postToRouted: summary(built.toRouted),
        routedToWorkOrder: summary(built.routedToDone),
        postToRoutedAnnounced: summary(announced.toRouted),
        routedAnnouncedToWorkOrderAnnounced: summary(announced.routedToDone),
      },
      baseline: { broker, database },
      ratios: {
        pipelineP50OverBrokerRoundTripP50: +(pipeline.p50 / broker.roundTripMs.p50).toFixed(1),
        pipelineP99OverBrokerRoundTripP99: +(pipeline.p99 / broker.roundTripMs.p99).toFixed(1),
        acceptedPerSecondOverRawInsertsPerSecond: +(
          result['2xx'] /
          elapsed /
          database.insertsPerSecond
        ).toFixed(2),
      },
      processes: processStats,
      /** CPU % of each process (100 = one core) and of the machine (100 = both cores) per 10 s of the offered period. */
      cpuPercentBy10s: cpuBy10s,
      /** Share of both cores busy during the offered period (100 = both cores fully used). */
      machineBusyPercent,
      /** Part of that busy share taken by the hypervisor for other guests (the VM's CPUs were not ours). */
      machineStealPercent,
      hops,
      services: processes.processNames,
    };
    console.log(JSON.stringify(figures, null, 2));
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', RESULT_FILE), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`wrote e2e/bench/results/${RESULT_FILE}`);
  } finally {
    await processes.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
