// Benchmark of intake alone: sustained accepted complaints/s, then latency at a fixed offered rate; writes bench/results/intake.json.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { machineFacts, makeTestCredentials, readLines, withDatabase } from '@complaints/platform/testing';

const root = join(__dirname, '..', '..', '..');
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 20);
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 500);
const FIXED_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 3901);

const texts = readFileSync(join(root, 'data', 'complaints-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { text: string }).text);

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('intake did not become ready');
}

function load(
  url: string,
  apiKeys: string[],
  options: { duration: number; connections: number; overallRate?: number },
) {
  let n = 0;
  return autocannon({
    url: `${url}/v1/complaints`,
    method: 'POST',
    connections: options.connections,
    duration: options.duration,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (req) => {
          n++;
          req.headers = {
            'content-type': 'application/json',
            'x-api-key': apiKeys[n % apiKeys.length],
            'idempotency-key': randomUUID(),
          };
          req.body = JSON.stringify({
            customer: { accountNo: String(5000000000 + (n % 100000)), phone: '13812345678' },
            text: texts[n % texts.length],
            location: { transformerArea: `TA-${n % 400}`, areaType: n % 3 ? 'urban' : 'rural' },
          });
          return req;
        },
      },
    ],
  });
}

async function main(): Promise<void> {
  const creds = await makeTestCredentials();
  const infra = spawn(process.execPath, [join(root, 'platform/dist/local-infra/cli.js')], {
    env: { ...process.env, LOCAL_KAFKA_PORT: '0', LOCAL_MONGO_PORT: '0' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [brokers, mongoUri] = await readLines(infra, [/KAFKA_BROKERS=(\S+)/, /MONGODB_URI=(\S+)/], 30000);
  const database = withDatabase(mongoUri, 'bench-intake');
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const intake = spawn(process.execPath, [...profile, join(root, 'services/intake/dist/main.js')], {
    env: {
      ...process.env,
      PORT: String(PORT),
      KAFKA_BROKERS: brokers,
      MONGODB_URI: database,
      API_KEYS_FILE: creds.apiKeysFile,
      STAFF_TOKEN_SECRET: creds.secret,
      LOG_LEVEL: 'warn',
      OTEL_ENABLED: 'false',
      RATE_LIMIT_PER_SECOND: '100000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${PORT}`;
  try {
    await waitReady(url);
    const keys = Object.values(creds.apiKeys);
    console.log(`warming up…`);
    await load(url, keys, { duration: 3, connections: 20 });

    console.log(`sustained: ${SUSTAINED_SECONDS}s, 64 connections, as fast as intake answers`);
    const sustained = await load(url, keys, { duration: SUSTAINED_SECONDS, connections: 64 });
    const accepted = sustained['2xx'];
    console.log(`fixed rate: ${FIXED_RATE}/s offered for ${FIXED_SECONDS}s`);
    const fixed = await load(url, keys, {
      duration: FIXED_SECONDS,
      connections: 32,
      overallRate: FIXED_RATE,
    });

    // Every accepted complaint must reach Kafka: wait for the outbox to drain.
    const connection = await mongoose.createConnection(database).asPromise();
    const complaints = connection.collection('complaints');
    const started = Date.now();
    let pending = -1;
    while (Date.now() - started < 120000) {
      pending = await complaints.countDocuments({ 'outbox.0': { $exists: true } });
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const stored = await complaints.countDocuments();
    await connection.close();

    const results = {
      date: new Date().toISOString(),
      machine: machineFacts(),
      backend: 'local stand-ins (librdkafka mock broker + smartmongo), each a separate process on 127.0.0.1',
      sustained: {
        seconds: SUSTAINED_SECONDS,
        connections: 64,
        acceptedPerSecond: Math.round(accepted / SUSTAINED_SECONDS),
        non2xx: sustained.non2xx,
        errors: sustained.errors,
        latencyMs: { p50: sustained.latency.p50, p99: sustained.latency.p99 },
      },
      fixedRate: {
        offeredPerSecond: FIXED_RATE,
        seconds: FIXED_SECONDS,
        achievedPerSecond: Math.round(fixed['2xx'] / FIXED_SECONDS),
        non2xx: fixed.non2xx,
        errors: fixed.errors,
        latencyMs: {
          p50: fixed.latency.p50,
          p90: fixed.latency.p90,
          p99: fixed.latency.p99,
          max: fixed.latency.max,
        },
      },
      outbox: {
        storedComplaints: stored,
        stillPendingAfterDrain: pending,
        drainSeconds: Math.round((Date.now() - started) / 1000),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'intake.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('wrote services/intake/bench/results/intake.json');
  } finally {
    // Intake first, so it does not log the stand-ins going away.
    const exited = new Promise((resolve) => intake.once('exit', resolve));
    intake.kill('SIGTERM');
    await exited;
    infra.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
