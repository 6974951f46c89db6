// Command line entry that runs the local Kafka and MongoDB stand-ins until SIGINT/SIGTERM (dev aid only).
import { mongoServerUriVariable, startLocalKafka, startLocalMongoThread } from './index';

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

/** A comma-separated list of server names (lower case, digits, dashes), or none when unset. */
function namesFromEnv(name: string): string[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const names = raw.split(',').map((part) => part.trim());
  const bad = names.find((part) => !/^[a-z][a-z0-9-]{0,30}$/.test(part));
  if (bad !== undefined)
    throw new Error(
      `${name} must list names made of a-z, 0-9 and -, separated by commas; "${bad}" is not one`,
    );
  if (new Set(names).size !== names.length) throw new Error(`${name} names a server twice: "${raw}"`);
  return names;
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
  const servers = namesFromEnv('LOCAL_MONGO_SERVERS');
  if (mongoPort !== 0 && mongoPort + servers.length > 65535)
    throw new Error(
      `LOCAL_MONGO_PORT ${mongoPort} leaves no room for ${servers.length} more servers above it`,
    );

  const startMongo = (port: number, threads: number, what: string) =>
    // Its own thread: the stand-ins then share the machine's cores instead of one event loop.
    startLocalMongoThread({
      port,
      threads,
      heapShares: mongoThreads + servers.length,
      hotDocuments,
      internValues,
      onCrash: (error) => {
        console.error(`local-infra: ${what} failed: ${error.message}`);
        process.exit(1);
      },
    });
  const started = await Promise.allSettled([
    startLocalKafka({ port: kafkaPort, retainBytes: megabytesFromEnv('LOCAL_KAFKA_RETAIN_MB', 2048) }),
    startMongo(mongoPort, mongoThreads, 'MongoDB stand-in'),
    // Each named server on the ports above the shared one (any free port when that one is 0).
    ...servers.map((server, i) =>
      startMongo(mongoPort === 0 ? 0 : mongoPort + 1 + i, 1, `MongoDB stand-in "${server}"`),
    ),
  ]);
  const [kafkaResult, mongoResult, ...serverResults] = started;
  const kafka = kafkaResult.status === 'fulfilled' ? kafkaResult.value : undefined;
  const mongo = mongoResult.status === 'fulfilled' ? mongoResult.value : undefined;
  const named = serverResults.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = started.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (!kafka || !mongo || failures.length) {
    // Half a stack is worse than none: services would start against one real and one missing backend.
    await Promise.allSettled([kafka?.stop(), mongo?.stop(), ...named.map((server) => server.stop())]);
    for (const err of failures)
      console.error(`local-infra: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    return;
  }

  console.log(`KAFKA_BROKERS=${kafka.brokers}`);
  console.log(`MONGODB_URI=${mongo.uri}`);
  servers.forEach((server, i) => console.log(`${mongoServerUriVariable(server)}=${named[i].uri}`));
  // Everything stored lives in that thread's memory: say how far it can grow.
  if (mongo.heapLimitMb)
    console.error(
      `local-infra: the MongoDB stand-in keeps its data in memory, up to ${mongo.heapLimitMb} MiB` +
        (mongoThreads + servers.length > 1 ? ` on each of its ${mongoThreads + servers.length} threads` : ''),
    );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.error(`local-infra: ${signal} received, stopping`);
    void Promise.allSettled([kafka.stop(), mongo.stop(), ...named.map((server) => server.stop())]).then(
      (results) => {
        const failed = results.filter((r) => r.status === 'rejected');
        for (const r of failed) console.error(`local-infra: stop failed: ${String(r.reason)}`);
        process.exit(failed.length ? 1 : 0);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`local-infra: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
