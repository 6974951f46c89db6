// A service's shared runtime: logger, metrics, MongoDB, Kafka (topics, publisher, outbox relay), HTTP server and shutdown.
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createKafka, ensureTopics } from './kafka/client';
import { EventPublisher } from './kafka/publisher';
import { createLogger, type Logger } from './logger';
import { createMetrics, type PlatformMetrics } from './metrics';
import { connectMongo, pingMongo } from './mongo';
import { OutboxRelay } from './outbox';
import type { ReadinessCheck } from './http/app';
import type { DestinationStream } from 'pino';

export interface RuntimeSettings {
  service: string;
  logLevel: string;
  kafkaBrokers: string[];
  mongoUri: string;
  topicPartitions: number;
  replicationFactor: number;
  outboxSweepMs: number;
  /** Topics this service produces or consumes; created with their .dlq twins. */
  topics: readonly string[];
  logDestination?: DestinationStream;
}

export class Runtime {
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  readonly kafka: Kafka;
  readonly publisher: EventPublisher;
  readonly relay: OutboxRelay;
  private topicsReady = false;
  private topicsTask: Promise<void> | null = null;
  private stopping = false;
  private server: Server | null = null;
  private readonly stopHooks: Array<() => Promise<void>> = [];

  private constructor(
    readonly settings: RuntimeSettings,
    readonly mongo: Connection,
    logger: Logger,
  ) {
    this.logger = logger;
    this.metrics = createMetrics(settings.service);
    this.kafka = createKafka({ brokers: settings.kafkaBrokers, clientId: settings.service, logger });
    this.publisher = new EventPublisher(this.kafka);
    this.relay = new OutboxRelay({
      publisher: this.publisher,
      logger,
      metrics: this.metrics,
      sweepMs: settings.outboxSweepMs,
    });
  }

  /** Connects MongoDB (required to accept anything) and starts Kafka set-up in the background (events wait in the outbox meanwhile). */
  static async start(settings: RuntimeSettings): Promise<Runtime> {
    const logger = createLogger({
      service: settings.service,
      level: settings.logLevel,
      destination: settings.logDestination,
    });
    const mongo = await connectMongo(settings.mongoUri, logger);
    const runtime = new Runtime(settings, mongo, logger);
    runtime.topicsTask = runtime.prepareKafka();
    return runtime;
  }

  private async prepareKafka(): Promise<void> {
    const admin = this.kafka.admin();
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await admin.connect();
        const created = await ensureTopics(admin, this.settings.topics, {
          partitions: this.settings.topicPartitions,
          replicationFactor: this.settings.replicationFactor,
        });
        if (created.length) this.logger.info({ created }, 'created topics');
        await admin.disconnect();
        await this.publisher.connect();
        this.topicsReady = true;
        return;
      } catch (error) {
        this.logger.warn({ err: error, attempt }, 'Kafka not ready yet; retrying');
        await admin.disconnect().catch(() => undefined);
        await sleep(Math.min(5000, 250 * attempt));
      }
    }
  }

  /** Resolves once topics exist and the producer is connected. */
  async kafkaReady(): Promise<void> {
    await this.topicsTask;
  }

  get readiness(): ReadinessCheck[] {
    return [
      { name: 'mongodb', check: () => pingMongo(this.mongo) },
      {
        name: 'kafka',
        check: () => this.topicsReady && this.publisher.isConnected && !this.relay.isDegraded,
      },
    ];
  }

  onStop(hook: () => Promise<void>): void {
    this.stopHooks.push(hook);
  }

  async listen(handler: RequestListener, port: number, host: string): Promise<number> {
    this.server = createServer(handler).listen(port, host);
    await once(this.server, 'listening');
    // Keep-alive longer than typical load balancers so they close first.
    this.server.keepAliveTimeout = 65_000;
    const actual = (this.server.address() as AddressInfo).port;
    this.logger.info({ port: actual, host }, 'listening');
    return actual;
  }

  /** Graceful: stop taking HTTP work, run the service's hooks (consumers), publish what is queued, disconnect. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info('stopping');
    if (this.server) {
      const closed = once(this.server, 'close');
      this.server.close();
      this.server.closeIdleConnections();
      await closed;
    }
    for (const hook of this.stopHooks.reverse()) await hook();
    await this.relay.stop();
    await this.topicsTask;
    await this.publisher.disconnect().catch(() => undefined);
    await this.mongo.close();
    this.logger.info('stopped');
  }
}

/** SIGTERM/SIGINT stop the service gracefully; a second signal or a stop that hangs exits at once. */
export function handleShutdownSignals(stop: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** The body of every service's main.ts: start, stop gracefully on signals, or say why it cannot start. */
export function runMain(
  name: string,
  start: () => Promise<{ stop(): Promise<void>; runtime: Runtime }>,
  telemetry: { shutdown(): Promise<void> } | undefined,
): void {
  start().then(
    (service) =>
      handleShutdownSignals(
        async () => {
          await service.stop();
          await telemetry?.shutdown();
        },
        service.runtime.logger,
        Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 15000),
      ),
    (error: unknown) => {
      // A configuration mistake is the operator's to fix: say it plainly, without a stack.
      if ((error as Error).name === 'ConfigError') console.error(`${name}: ${(error as Error).message}`);
      else console.error(`${name} failed to start:`, error);
      process.exit(1);
    },
  );
}
