// Starts and stops the intake service: HTTP for partners, the outbox relay, and the status consumer.
import { ALL_TOPICS, ComplaintSubmission, openApiDocument, precompile } from '@complaints/contracts';
import { ApiKeyStore, EventConsumer, createHttpApp, Runtime } from '@complaints/platform';
import type { DestinationStream } from 'pino';
import { loadIntakeConfig } from './config';
import { complaintModel } from './data-access/complaint-model';
import { ComplaintRepository } from './data-access/complaint-repository';
import { complaintRoutes } from './entry-points/http/complaint-routes';
import { statusHandlers } from './entry-points/messaging/status-consumer';

export const SERVICE = 'intake';

export interface IntakeService {
  port: number;
  runtime: Runtime;
  repository: ComplaintRepository;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  logDestination?: DestinationStream;
  onFatal?: (error: Error) => void;
}

export async function start(options: StartOptions = {}): Promise<IntakeService> {
  const config = loadIntakeConfig(options.env ?? process.env);
  const apiKeys = ApiKeyStore.fromFile(config.API_KEYS_FILE);
  precompile(ComplaintSubmission);
  const runtime = await Runtime.start({
    service: SERVICE,
    logLevel: config.LOG_LEVEL,
    kafkaBrokers: config.KAFKA_BROKERS,
    mongoUri: config.MONGODB_URI,
    topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    outboxSweepMs: config.OUTBOX_SWEEP_MS,
    topics: ALL_TOPICS,
    logDestination: options.logDestination,
  });
  const repository = new ComplaintRepository(complaintModel(runtime.mongo));
  await repository.model.init();
  runtime.relay.register(repository.model);
  runtime.relay.start();

  const auth = {
    apiKeys,
    staffTokens: { secret: config.STAFF_TOKEN_SECRET, issuer: config.STAFF_TOKEN_ISSUER },
  };
  const app = createHttpApp({
    service: SERVICE,
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    openApi: openApiDocument(SERVICE),
    auth,
    bodyLimit: config.BODY_LIMIT,
    routes: (app) =>
      complaintRoutes(app, {
        auth,
        repository,
        relay: runtime.relay,
        ratePerSecond: config.RATE_LIMIT_PER_SECOND,
        rateWindowMs: config.RATE_LIMIT_WINDOW_MS,
      }),
  });

  const consumer = new EventConsumer({
    kafka: runtime.kafka,
    groupId: `${config.KAFKA_GROUP_PREFIX}${SERVICE}-status`,
    logger: runtime.logger,
    handlers: statusHandlers(repository),
    maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
    metrics: runtime.metrics,
    onFatal: options.onFatal ?? (() => process.exit(1)),
  });
  // The consumer waits for Kafka in the background: intake accepts complaints while the broker is away.
  const consuming = runtime
    .kafkaReady()
    .then(() => consumer.start())
    .catch((error: unknown) => {
      runtime.logger.error({ err: error }, 'status consumer failed to start');
      (options.onFatal ?? (() => process.exit(1)))(error as Error);
    });
  runtime.onStop(async () => {
    await consuming;
    await consumer.stop();
  });

  const port = await runtime.listen(app, config.PORT, config.HOST);
  return { port, runtime, repository, stop: () => runtime.stop() };
}
