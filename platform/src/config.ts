// Settings from the environment, validated once at start-up: a bad or missing value stops the service with a readable message.
import { bool, cleanEnv, makeValidator, num, str, type ValidatorSpec } from 'envalid';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const brokerList = makeValidator<string[]>((input) => {
  const brokers = input
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (!brokers.length || brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) {
    throw new Error('must be a comma-separated list of host:port');
  }
  return brokers;
});

/** Like envalid's port, but 0 is allowed: the OS picks a free port (tests). */
export const listenPort = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error('must be a port number from 0 to 65535');
  return value;
});

/** Browser origins allowed to call the API (CORS): exact scheme://host[:port], comma-separated; `*` allows any. */
export const originList = makeValidator<string[]>((input) => {
  const origins = input
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);
  const bad = origins.filter((o) => o !== '*' && !/^https?:\/\/[^\s/:]+(:\d{1,5})?$/.test(o));
  if (bad.length) throw new Error(`must be origins like http://127.0.0.1:3001 (not ${bad.join(', ')})`);
  return origins;
});

/** A nice value: 0 (normal) to 19 (runs only on CPU time nothing else wants). */
const niceValue = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(input.trim()) || value > 19) throw new Error('must be an integer from 0 to 19');
  return value;
});

const mongoUri = makeValidator<string>((input) => {
  if (!/^mongodb(\+srv)?:\/\/\S+$/.test(input)) throw new Error('must be a mongodb:// or mongodb+srv:// URI');
  return input;
});

const secret = makeValidator<string>((input) => {
  if (input.length < 32) throw new Error('must be at least 32 characters');
  return input;
});

/** Settings every service has; each service adds its own spec beside these. */
export const platformSpec = {
  HOST: str({ default: '127.0.0.1', desc: 'Interface the HTTP server binds to' }),
  LOG_LEVEL: str({
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  }),
  KAFKA_BROKERS: brokerList({ desc: 'Comma-separated host:port list of Kafka brokers' }),
  KAFKA_TOPIC_PARTITIONS: num({ default: 6, desc: 'Partitions for topics this service creates' }),
  KAFKA_REPLICATION_FACTOR: num({ default: 1, desc: 'Replication factor for topics this service creates' }),
  KAFKA_FETCH_MAX_WAIT_MS: num({
    default: 100,
    desc: 'Longest a consumer fetch waits for new events (latency when idle)',
  }),
  KAFKA_SESSION_TIMEOUT_MS: num({ default: 30000, desc: 'Consumer group session timeout' }),
  KAFKA_GROUP_PREFIX: str({
    default: '',
    desc: 'Prefix for consumer group ids (several environments on one cluster)',
  }),
  MONGODB_URI: mongoUri({ desc: 'MongoDB connection string, database name included' }),
  STAFF_TOKEN_SECRET: secret({ desc: 'HMAC secret (≥ 32 chars) that signs staff bearer tokens' }),
  STAFF_TOKEN_ISSUER: str({ default: 'complaint-platform' }),
  OTEL_ENABLED: bool({ default: true, desc: 'Start OpenTelemetry tracing' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: str({
    default: '',
    desc: 'OTLP/HTTP collector base URL; empty: spans are not exported',
  }),
  OUTBOX_SWEEP_MS: num({ default: 1000, desc: 'How often the relay looks for events left unpublished' }),
  CONSUMER_MAX_ATTEMPTS: num({ default: 3, desc: 'Attempts before a failing message goes to the DLQ' }),
  CONSUMER_KEYS_CONCURRENTLY: num({
    default: 64,
    desc: 'Complaints (message keys) of one fetched batch handled at once; one key always in order',
  }),
  SHUTDOWN_TIMEOUT_MS: num({ default: 15000 }),
  SERVICE_ROLE: str({
    default: 'all',
    choices: ['all', 'api', 'consumers'],
    desc: 'What this process runs: all; api (HTTP and relay, no consumers); consumers (consumers and relay, HTTP only for health and metrics)',
  }),
  CPU_NICE: niceValue({
    default: 0,
    desc: 'CPU priority as a nice value, 0 to 19: raise it for processes that may lag in a load peak (projections)',
  }),
  CORS_ORIGINS: originList({
    default: [],
    desc: 'Comma-separated browser origins allowed to call this API (e.g. the ops console); empty: same origin only',
  }),
};

export type Spec = Record<string, ValidatorSpec<unknown>>;
export { bool, num, str };

export function loadConfig<S extends Spec>(spec: S, env: NodeJS.ProcessEnv = process.env) {
  const problems: string[] = [];
  const cleaned = cleanEnv(env, spec, {
    reporter: ({ errors }) => {
      for (const [name, error] of Object.entries(errors)) {
        const desc = spec[name]?.desc ? ` (${spec[name]?.desc})` : '';
        const message =
          error instanceof Error && error.name !== 'EnvMissingError' ? error.message : 'is missing';
        problems.push(`${name}: ${message}${desc}`);
      }
    },
  });
  if (problems.length) throw new ConfigError(problems);
  return cleaned;
}
