// Launcher for the local Kafka and MongoDB stand-ins used in development and tests when no real backends are configured.
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { KafkaFront, type RetentionLoss } from './kafka-front';
import { startCongo, type CongoOptions } from './local-mongo';
import { spawnMockBroker } from './mock-broker-process';

export interface LocalKafka {
  /** Bootstrap string for kafkajs, e.g. "127.0.0.1:9092". */
  brokers: string;
  /** Closes the listener and resets every client connection; the broker's data survives. */
  outage(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalMongo {
  /** Connection string without a database name; pass dbName to mongoose.connect. */
  uri: string;
  /** On its own threads: the heap size V8 will let each thread grow to, in MiB. */
  heapLimitMb?: number;
  stop(): Promise<void>;
}

export const MOCK_BROKER_RELATIVE_PATH = join('.local', 'bin', 'kafka-mock-broker');

/** The monorepo root: the nearest ancestor whose package.json declares workspaces. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
        if (parsed.workspaces) return dir;
      } catch {
        // an unreadable package.json is not the root; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json with "workspaces" above ${start}`);
    dir = parent;
  }
}

export async function startLocalKafka(
  opts: {
    port?: number;
    host?: string;
    onRetentionLoss?: (loss: RetentionLoss) => void;
    /** Bytes of produced batches kept to answer what the mock's own retention deleted (default 2 GiB). */
    retainBytes?: number;
  } = {},
): Promise<LocalKafka> {
  const binary = join(findRepoRoot(), MOCK_BROKER_RELATIVE_PATH);
  if (!existsSync(binary)) {
    throw new Error(`local Kafka stand-in binary ${binary} is missing: run \`npm run setup\` first`);
  }
  const broker = await spawnMockBroker(binary);
  let front: KafkaFront;
  try {
    front = await KafkaFront.start({
      port: opts.port ?? 9092,
      host: opts.host ?? '127.0.0.1',
      broker,
      ...(opts.retainBytes !== undefined ? { retainBytes: opts.retainBytes } : {}),
      onRetentionLoss:
        opts.onRetentionLoss ??
        ((loss) =>
          console.error(
            `local-infra: retention loss: ${loss.topic}[${loss.partition}] was read below its log start ${loss.logStartOffset}; ` +
              "the mock keeps only 5 MiB or 100,000 batches per partition and the front's copy (LOCAL_KAFKA_RETAIN_MB) did not reach back that far, so events nobody had consumed yet were lost (real Kafka keeps them)",
          )),
    });
  } catch (err) {
    await broker.stop();
    throw err;
  }
  return {
    brokers: front.brokers,
    outage: () => front.outage(),
    restore: () => front.restore(),
    stop: async () => {
      await front.stop();
      await broker.stop();
    },
  };
}

/** directConnection: a lone server, no replica-set discovery. serverMonitoringMode=poll: the stand-in
 * cannot stream hello responses, and in the default mode the driver clears its pool every second. */
const mongoUri = (port: number) =>
  `mongodb://127.0.0.1:${port}/?directConnection=true&serverMonitoringMode=poll`;

/**
 * The line the stand-ins' command prints for a server named in LOCAL_MONGO_SERVERS: MONGODB_URI_INTAKE=... for
 * "intake", so a launcher can give each service a server of its own.
 */
export const mongoServerUriVariable = (server: string) =>
  `MONGODB_URI_${server.toUpperCase().replace(/-/g, '_')}`;

export async function startLocalMongo(opts: { port?: number } & CongoOptions = {}): Promise<LocalMongo> {
  const server = await startCongo(opts.port ?? 27017, opts);
  return { uri: mongoUri(server.port), stop: () => server.stop() };
}

/** The MongoDB stand-in's heap cap: 60% of the machine's memory, at least 4 GiB, shared by its threads. */
export function oldGenerationCapMb(threads = 1): number {
  const machine = Math.floor((totalmem() / 2 ** 20) * 0.6);
  // With several threads, one may hold up to twice its share (collections differ in size); never below 2 GiB.
  return threads > 1 ? Math.max(2048, Math.floor((machine * 2) / threads)) : Math.max(4096, machine);
}

/** The young generation of a stand-in thread's heap, in MiB (see startLocalMongoThread). */
const YOUNG_GENERATION_MB = 192;

/** A worker thread that reports the port it listens on, stops on 'stop' and reports a crash after starting. */
interface PortThread {
  port: number;
  heapLimitMb?: number;
  stop(): Promise<void>;
}

/** The compiled file of a thread script: tests that load this module from source use the build beside it. */
function threadScript(name: string): string {
  const script = join(__dirname.replace(/([/\\])src([/\\]local-infra)$/, '$1dist$2'), name);
  if (!existsSync(script)) throw new Error(`${script} is missing: build the platform package first`);
  return script;
}

async function startPortThread(
  what: string,
  script: string,
  options: ConstructorParameters<typeof Worker>[1],
  onCrash: ((error: Error) => void) | undefined,
): Promise<PortThread> {
  const worker = new Worker(script, options);
  const [started] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => [{ error: (error as Error).message }]),
    once(worker, 'exit').then(([code]) => [{ error: `thread exited with code ${String(code)}` }]),
  ])) as [{ port?: number; heapLimitMb?: number; error?: string }];
  if (started.port === undefined) {
    await worker.terminate();
    throw new Error(`${what} did not start: ${started.error ?? 'no port reported'}`);
  }
  let stopping = false;
  const crashed = (error: Error) => {
    if (!stopping) onCrash?.(error);
  };
  worker.on('error', crashed);
  worker.on('exit', (code) => crashed(new Error(`${what} thread exited with code ${code}`)));
  return {
    port: started.port,
    heapLimitMb: started.heapLimitMb,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      let failure: string | undefined;
      worker.on('message', (message: { stopError?: string }) => (failure ??= message.stopError));
      const exited = once(worker, 'exit');
      worker.postMessage('stop');
      await exited;
      if (failure) throw new Error(`${what} did not stop cleanly: ${failure}`);
    },
  };
}

/**
 * The same stand-in on worker threads of this process, so its work (BSON, queries) runs in parallel with the
 * Kafka front instead of taking turns with it on one event loop. With `threads` above 1 (the default is 1), each
 * thread holds some of the collections and a router thread in front spreads the requests (mongo-router.ts): a
 * thread's garbage collections then mark and pause only its own collections. `onCrash` hears of a thread that
 * died after starting; the caller should stop, since MongoDB clients would now fail.
 */
export async function startLocalMongoThread(
  opts: {
    port?: number;
    threads?: number;
    /** Stand-in threads this process runs in all, this server's included: they share the heap cap. */
    heapShares?: number;
    onCrash?: (error: Error) => void;
  } & CongoOptions = {},
): Promise<LocalMongo> {
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be 1 or more, got ${threads}`);
  const heapShares = Math.max(threads, opts.heapShares ?? threads);
  const shardOptions = (port: number) => ({
    workerData: { port, hotDocuments: opts.hotDocuments, internValues: opts.internValues },
    // A young generation of 192 MiB (V8's default is 48): the stand-in allocates a new object graph for every
    // command it decodes and most of it dies at once, so it needs fewer scavenges, each of similar cost.
    // The old generation holds every stored document. V8's default cap (about 4 GiB whatever the machine) was
    // half used after 5 minutes of a storm peak: a longer one would have killed the thread. So the cap is 60% of
    // the machine's memory, never below the default, shared out when there are several threads (oldGenerationCapMb).
    resourceLimits: {
      maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      maxOldGenerationSizeMb: oldGenerationCapMb(heapShares),
    },
  });
  // V8's memory reducer collects a heap that it judges idle to hand memory back. The stand-in's heap is its stored
  // documents, almost all live, so those extra major collections gave little back and marked everything again:
  // in a 5-minute storm at 550/s, two of them came 10–15 s before the regular ones, each with 0.8–1.6 s of marking
  // on the thread (BENCHMARKS.md, eighth session). V8 flags are per process and read when an isolate's heap is
  // set up, so this applies to the threads started from here on.
  setFlagsFromString('--no-memory-reducer');
  // And its young generation starts at full size. V8 starts one at 1 MiB and grows it as it sees the thread allocate;
  // until then it scavenges often and promotes into the old generation objects that would have died young, and
  // major collections follow. With a server per service, four heaps grow at a quarter of the pace each: in 30 s
  // at 550/s, 230 scavenges and 34 major collections, against 98 and 10 with this (BENCHMARKS.md, ninth session).
  // V8's young generation is three semi-spaces' worth.
  setFlagsFromString(`--min-semi-space-size=${YOUNG_GENERATION_MB / 3}`);
  const shardScript = threadScript('mongo-thread.js');
  if (threads === 1) {
    const only = await startPortThread(
      'MongoDB stand-in',
      shardScript,
      shardOptions(opts.port ?? 27017),
      opts.onCrash,
    );
    return { uri: mongoUri(only.port), heapLimitMb: only.heapLimitMb, stop: () => only.stop() };
  }
  const started = await Promise.allSettled(
    Array.from({ length: threads }, (_, i) =>
      startPortThread(`MongoDB stand-in thread ${i}`, shardScript, shardOptions(0), opts.onCrash),
    ),
  );
  const shards = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stopShards = async () => {
    const stopped = await Promise.allSettled(shards.map((shard) => shard.stop()));
    const failed = stopped.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stopShards().catch(() => {});
    throw failure.reason;
  }
  let router: PortThread;
  try {
    router = await startPortThread(
      'MongoDB router',
      threadScript('mongo-router-thread.js'),
      { workerData: { port: opts.port ?? 27017, shardPorts: shards.map((shard) => shard.port) } },
      opts.onCrash,
    );
  } catch (error) {
    await stopShards().catch(() => {});
    throw error;
  }
  return {
    uri: mongoUri(router.port),
    heapLimitMb: shards[0].heapLimitMb,
    stop: async () => {
      try {
        await router.stop();
      } finally {
        await stopShards();
      }
    },
  };
}
