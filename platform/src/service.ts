// Boots a service the same way everywhere: runtime, HTTP app with auth, consumers that wait for Kafka, graceful stop.
import type { Express } from 'express';
import type { Model } from 'mongoose';
import type { DestinationStream } from 'pino';
import { ALL_TOPICS, openApiDocument, type ServiceName, type TopicName } from '@complaints/contracts';
import type { platformSpec } from './config';
import { createHttpApp, DEFAULT_BODY_LIMIT } from './http/app';
import { directHandler, parseByteSize, type DirectRoute } from './http/direct';
import type { ApiKeyStore, AuthOptions } from './http/auth';
import { EventConsumer, type EventHandler } from './kafka/consumer';
import { lowerCpuPriority } from './process-priority';
import { Runtime } from './runtime';

type PlatformConfig = { [K in keyof typeof platformSpec]: unknown } & {
  HOST: string;
  LOG_LEVEL: string;
  KAFKA_BROKERS: string[];
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REPLICATION_FACTOR: number;
  KAFKA_GROUP_PREFIX: string;
  MONGODB_URI: string;
  STAFF_TOKEN_SECRET: string;
  STAFF_TOKEN_ISSUER: string;
  OUTBOX_SWEEP_MS: number;
  CONSUMER_MAX_ATTEMPTS: number;
  CONSUMER_KEYS_CONCURRENTLY: number;
  KAFKA_FETCH_MAX_WAIT_MS: number;
  KAFKA_SESSION_TIMEOUT_MS: number;
  PORT: number;
  CORS_ORIGINS: string[];
  SERVICE_ROLE: string;
  CPU_NICE: number;
};

export interface ConsumerDefinition {
  /** Appended to the service name: `<prefix><service>-<group>`. */
  group: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each topic's handler takes its own event type
  handlers: Partial<Record<TopicName, EventHandler<any>>>;
}

export interface ServiceParts {
  routes: (app: Express, auth: AuthOptions) => void;
  /**
   * Hot JSON POSTs answered without Express (see `DirectRoute`); each must also be registered in `routes`,
   * which answers the requests the direct path passes on.
   */
  directRoutes?: DirectRoute[];
  consumers?: ConsumerDefinition[];
  /** Aggregates holding an outbox; the relay publishes their events. */
  outboxModels?: Array<Model<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  bodyLimit?: string;
  apiKeys?: ApiKeyStore;
  /** Runs on stop after consumers stopped, before the runtime closes (timers, schedulers). */
  onStop?: () => Promise<void>;
}

export interface ServiceOptions {
  logDestination?: DestinationStream;
  /** Called when a consumer crashes beyond restart; default exits the process non-zero. */
  onFatal?: (error: Error) => void;
}

export interface RunningService {
  port: number;
  runtime: Runtime;
  stop(): Promise<void>;
}

export async function startService(
  name: ServiceName,
  config: PlatformConfig,
  build: (runtime: Runtime) => Promise<ServiceParts>,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const onFatal = options.onFatal ?? (() => process.exit(1));
  // Before anything starts: the threads started later (libuv's pool) inherit the nice value.
  if (config.CPU_NICE > 0) lowerCpuPriority(config.CPU_NICE);
  // A service can run as one process, or as an API process and a consumer process scaled (and prioritised) apart.
  const serveApi = config.SERVICE_ROLE !== 'consumers';
  const consume = config.SERVICE_ROLE !== 'api';
  const runtime = await Runtime.start({
    service: name,
    logLevel: config.LOG_LEVEL,
    kafkaBrokers: config.KAFKA_BROKERS,
    mongoUri: config.MONGODB_URI,
    topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    outboxSweepMs: config.OUTBOX_SWEEP_MS,
    topics: ALL_TOPICS,
    logDestination: options.logDestination,
  });
  let parts: ServiceParts;
  try {
    parts = await build(runtime);
    for (const model of parts.outboxModels ?? []) {
      await model.init();
      runtime.relay.register(model);
    }
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  runtime.relay.start();
  runtime.logger.info({ role: config.SERVICE_ROLE, nice: config.CPU_NICE }, 'service role');

  const auth: AuthOptions = {
    apiKeys: parts.apiKeys,
    staffTokens: { secret: config.STAFF_TOKEN_SECRET, issuer: config.STAFF_TOKEN_ISSUER },
  };
  const app = createHttpApp({
    service: name,
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    openApi: openApiDocument(name),
    auth,
    bodyLimit: parts.bodyLimit,
    corsOrigins: config.CORS_ORIGINS,
    // The consumers role answers only the platform's own endpoints (health, readiness, metrics).
    routes: (app) => {
      if (serveApi) parts.routes(app, auth);
    },
  });

  const consumers = (consume ? (parts.consumers ?? []) : []).map(
    (c) =>
      new EventConsumer({
        kafka: runtime.kafka,
        groupId: `${config.KAFKA_GROUP_PREFIX}${name}-${c.group}`,
        logger: runtime.logger,
        handlers: c.handlers,
        maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
        keysConcurrently: config.CONSUMER_KEYS_CONCURRENTLY,
        fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        metrics: runtime.metrics,
        onFatal,
      }),
  );
  // Consumers wait for Kafka in the background: HTTP works while the broker is away.
  const consuming = runtime
    .kafkaReady()
    .then(() => Promise.all(consumers.map((c) => c.start())))
    .catch((error: unknown) => {
      runtime.logger.error({ err: error }, 'a consumer failed to start');
      onFatal(error as Error);
    });
  runtime.onStop(async () => {
    await parts.onStop?.();
  });
  runtime.onStop(async () => {
    await consuming;
    await Promise.all(consumers.map((c) => c.stop()));
  });

  const handler =
    serveApi && parts.directRoutes?.length
      ? directHandler(
          {
            routes: parts.directRoutes,
            auth,
            logger: runtime.logger,
            metrics: runtime.metrics,
            bodyLimitBytes: parseByteSize(parts.bodyLimit ?? DEFAULT_BODY_LIMIT),
          },
          app,
        )
      : app;
  const port = await runtime.listen(handler, config.PORT, config.HOST);
  return { port, runtime, stop: () => runtime.stop() };
}
