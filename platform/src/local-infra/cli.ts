// Command line entry that runs the local Kafka and MongoDB stand-ins until SIGINT/SIGTERM (dev aid only).
import { startLocalKafka, startLocalMongoThread, type LocalKafka, type LocalMongo } from './index';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

function megabytesFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback * 1024 * 1024;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb < 0)
    throw new Error(`${name} must be a number of MiB (0 or more), got "${raw}"`);
  return Math.round(mb * 1024 * 1024);
}

/** A count from the environment, or undefined when unset. */
function countFromEnv(name: string, what = 'documents', min = 0): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < min)
    throw new Error(`${name} must be a whole number of ${what} (${min} or more), got "${raw}"`);
  return count;
}

function switchFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 1 or 0 (true or false), got "${raw}"`);
}

/**
 * The MongoDB stand-in's threads. One: spreading the collections over eight threads behind the router made the
 * 550/s pipeline slower on two cores, not faster (BENCHMARKS.md, eighth session).
 */
const DEFAULT_MONGO_THREADS = 1;

async function main(): Promise<void> {
  const kafkaPort = portFromEnv('LOCAL_KAFKA_PORT', 9092);
  const mongoPort = portFromEnv('LOCAL_MONGO_PORT', 27017);
  const hotDocuments = countFromEnv('LOCAL_MONGO_HOT_DOCUMENTS');
  const internValues = switchFromEnv('LOCAL_MONGO_INTERN', true);
  const mongoThreads = countFromEnv('LOCAL_MONGO_THREADS', 'threads', 1) ?? DEFAULT_MONGO_THREADS;

  const started = await Promise.allSettled([
    startLocalKafka({ port: kafkaPort, retainBytes: megabytesFromEnv('LOCAL_KAFKA_RETAIN_MB', 2048) }),
    // Its own thread: the two stand-ins then share the machine's cores instead of one event loop.
    startLocalMongoThread({
      port: mongoPort,
      threads: mongoThreads,
      hotDocuments,
      internValues,
      onCrash: (error) => {
        console.error(`local-infra: MongoDB stand-in failed: ${error.message}`);
        process.exit(1);
      },
    }),
  ]);
  const [kafkaResult, mongoResult] = started;
  const kafka: LocalKafka | undefined = kafkaResult.status === 'fulfilled' ? kafkaResult.value : undefined;
  const mongo: LocalMongo | undefined = mongoResult.status === 'fulfilled' ? mongoResult.value : undefined;
  const failures = started.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (!kafka || !mongo) {
    // Half a stack is worse than none: services would start against one real and one missing backend.
    await Promise.allSettled([kafka?.stop(), mongo?.stop()]);
    for (const err of failures)
      console.error(`local-infra: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    return;
  }

  console.log(`KAFKA_BROKERS=${kafka.brokers}`);
  console.log(`MONGODB_URI=${mongo.uri}`);
  // Everything stored lives in that thread's memory: say how far it can grow.
  if (mongo.heapLimitMb)
    console.error(
      `local-infra: the MongoDB stand-in keeps its data in memory, up to ${mongo.heapLimitMb} MiB` +
        (mongoThreads > 1 ? ` on each of its ${mongoThreads} threads` : ''),
    );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.error(`local-infra: ${signal} received, stopping`);
    void Promise.allSettled([kafka.stop(), mongo.stop()]).then((results) => {
      const failed = results.filter((r) => r.status === 'rejected');
      for (const r of failed) console.error(`local-infra: stop failed: ${String(r.reason)}`);
      process.exit(failed.length ? 1 : 0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`local-infra: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
