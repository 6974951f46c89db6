// Runs the platform locally: stand-ins for Kafka and MongoDB unless addresses are configured, first-run credentials, every built service.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { ensureLocalCredentials } = require(join(root, 'platform/dist/index.js'));
// The line the stand-ins print for the server of one service: MONGODB_URI_INTAKE=… for intake.
const { mongoServerUriVariable: serverVariable } = require(join(root, 'platform/dist/local-infra/index.js'));

const SERVICES = [
  { name: 'intake', port: 3001 },
  { name: 'routing', port: 3002 },
  { name: 'resolution', port: 3003 },
  { name: 'feedback', port: 3004 },
];
const children = [];
let stopping = false;

const colours = { intake: 36, routing: 35, resolution: 33, feedback: 32, infra: 90 };
const levelColour = { warn: 33, error: 31, fatal: 31 };

/** Renders a JSON log line as one readable line; anything else passes through. */
function render(service, line) {
  let text = line;
  try {
    const entry = JSON.parse(line);
    const { level, time, msg, service: _s, name: _n, pid: _p, hostname: _h, ...rest } = entry;
    const extras = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    const lvl = levelColour[level] ? `\x1b[${levelColour[level]}m${level}\x1b[0m` : level;
    text = `${(time ?? '').slice(11, 23)} ${lvl} ${msg ?? ''}${extras}`;
  } catch {
    // not JSON: print as it is
  }
  process.stdout.write(`\x1b[${colours[service] ?? 37}m${service.padEnd(10)}\x1b[0m ${text}\n`);
}

function run(service, command, args, env) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) if (line.trim()) render(service, line);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      render(service, `exited (${signal ?? code}); stopping the platform`);
      void shutdown(1);
    }
  });
  return child;
}

async function startInfra() {
  if (process.env.KAFKA_BROKERS && process.env.MONGODB_URI) {
    return {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      MONGODB_URI: process.env.MONGODB_URI,
      serverOf: () => process.env.MONGODB_URI,
      standIns: false,
    };
  }
  // Each service its own stand-in server, as in production, where no service reads another's database; the
  // shared one (MONGODB_URI) serves a MongoDB client pointed at the stand-ins by hand.
  const servers = (process.env.LOCAL_MONGO_SERVERS ?? SERVICES.map((service) => service.name).join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const keys = ['KAFKA_BROKERS', 'MONGODB_URI', ...servers.map(serverVariable)];
  const child = run('infra', process.execPath, [join(root, 'platform/dist/local-infra/cli.js')], {
    LOCAL_MONGO_SERVERS: servers.join(','),
  });
  const found = {};
  await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (const key of keys) {
        const match = new RegExp(`^${key}=(\\S+)`, 'm').exec(buffer);
        if (match) found[key] = match[1];
      }
      if (keys.every((key) => found[key])) resolve();
    });
    child.on('exit', () => reject(new Error('the local stand-ins did not start; see the lines above')));
  });
  const mongo = process.env.MONGODB_URI ?? found.MONGODB_URI;
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? found.KAFKA_BROKERS,
    MONGODB_URI: mongo,
    serverOf: (name) => process.env.MONGODB_URI ?? found[serverVariable(name)] ?? mongo,
    standIns: true,
  };
}

function databaseUri(uri, database) {
  const url = new URL(uri);
  if (url.pathname === '/' || url.pathname === '') url.pathname = `/${database}`;
  return url.toString();
}

async function waitReady(port, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children.slice().reverse()) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null)));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const infra = await startInfra();
const creds = await ensureLocalCredentials(join(root, '.local'));
const started = [];
// <NAME>_PORT overrides a service's port; the console's origin and service URLs follow.
for (const service of SERVICES)
  service.port = Number(process.env[`${service.name.toUpperCase()}_PORT`] ?? service.port);
const urlOf = (name) => `http://127.0.0.1:${SERVICES.find((s) => s.name === name).port}`;
for (const service of SERVICES) {
  const main = join(root, 'services', service.name, 'dist', 'main.js');
  if (!existsSync(main)) continue;
  run(service.name, process.execPath, [main], {
    PORT: String(service.port),
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    MONGODB_URI: databaseUri(infra.serverOf(service.name), `complaints-${service.name}`),
    API_KEYS_FILE: process.env.API_KEYS_FILE ?? creds.apiKeysFile,
    STAFF_TOKEN_SECRET: process.env.STAFF_TOKEN_SECRET ?? creds.staffTokenSecret,
    SURVEY_LINK_SECRET: process.env.SURVEY_LINK_SECRET ?? creds.surveyLinkSecret,
    KAFKA_TOPIC_PARTITIONS: process.env.KAFKA_TOPIC_PARTITIONS ?? '3',
    // The ops console is served by intake and calls the other services from the browser.
    CORS_ORIGINS: process.env.CORS_ORIGINS ?? urlOf('intake'),
    ROUTING_URL: process.env.ROUTING_URL ?? urlOf('routing'),
    RESOLUTION_URL: process.env.RESOLUTION_URL ?? urlOf('resolution'),
    FEEDBACK_URL: process.env.FEEDBACK_URL ?? urlOf('feedback'),
    ...(service.name === 'routing' && !process.env.CUSTOMER_DIRECTORY_FILE
      ? { CUSTOMER_DIRECTORY_FILE: join(root, 'services/routing/config/customer-directory.sample.json') }
      : {}),
  });
  started.push(service);
}
for (const service of started) {
  if (!(await waitReady(service.port))) {
    console.error(`${service.name} did not become ready on port ${service.port}`);
    await shutdown(1);
  }
}
const intake = started.find((s) => s.name === 'intake');
console.log(`
The platform is up${infra.standIns ? ' on the local stand-ins (development and tests only)' : ''}: ${started.map((s) => `${s.name} :${s.port}`).join(', ')}.
Partner API keys and staff tokens: ${creds.credentialsFile}

Try it:
  curl -i http://127.0.0.1:${intake.port}/v1/complaints \\
    -H 'X-Api-Key: ${creds.apiKeys.hotline}' \\
    -H "Idempotency-Key: $(date +%s%N)" -H 'Content-Type: application/json' \\
    -d '{"customer":{"accountNo":"5012087734"},"text":"每天晚上电压只有180伏，空调开不了。"}'

API docs: http://127.0.0.1:${intake.port}/docs   Stop: Ctrl-C
`);
