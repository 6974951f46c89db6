// Consumes CloudEvents: validates each one, runs its handler in a trace span, retries, and dead-letters what cannot be handled.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import { dlqTopic, EVENT_HEADERS, type CloudEvent, type TopicName } from '@complaints/contracts';
import { decodeEvent } from '../cloudevents';
import type { Logger } from '../logger';
import type { PlatformMetrics } from '../metrics';
import { carrierFromHeaders, withProcessSpan } from './tracing';

export interface MessageMeta {
  topic: TopicName;
  partition: number;
  offset: string;
  key: string | null;
  /** W3C trace context the event travelled with, if any. */
  traceparent?: string;
}

export type EventHandler<T = unknown> = (event: CloudEvent<T>, meta: MessageMeta) => Promise<void>;

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  logger: Logger;
  // Each topic's handler takes its own event type; `any` lets one map hold them all.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handlers: Partial<Record<TopicName, EventHandler<any>>>;
  maxAttempts: number;
  /** Longest a fetch waits for data; bounds a hop's latency on brokers that do not answer early. */
  fetchMaxWaitMs?: number;
  sessionTimeoutMs?: number;
  /** Partitions handled at once (default 6, the default partition count). */
  partitionsConcurrently?: number;
  /**
   * Within a fetched batch, messages with different keys (different complaints) are handled concurrently, up to
   * this many keys at once; messages with the same key always one after another, in offset order (default 64).
   */
  keysConcurrently?: number;
  retryDelayMs?: number;
  metrics?: PlatformMetrics;
  /** Called when kafkajs crashes without restarting; the service should exit non-zero so a supervisor restarts it. */
  onFatal: (error: Error) => void;
}

const TRANSIENT =
  /^(MongoNetworkError|MongoServerSelectionError|MongoNotConnectedError|PoolClearedError|MongoNetworkTimeoutError|KafkaJS\w*Connection\w*|KafkaJSNumberOfRetriesExceeded|KafkaJSRequestTimeoutError)$/;

/** Outages are retried without end (the message is not committed); only the message's own faults go to the DLQ. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { transient?: boolean }).transient === true) return true;
  return TRANSIENT.test(error.name) || TRANSIENT.test(error.constructor?.name ?? '');
}

export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly log: Logger;
  private running = false;

  constructor(private readonly options: EventConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: options.fetchMaxWaitMs ?? 100,
      sessionTimeout: options.sessionTimeoutMs ?? 30000,
    });
    this.dlqProducer = options.kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.log = options.logger.child({ component: 'consumer', groupId: options.groupId });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      if (!payload.restart) options.onFatal(payload.error);
    });
  }

  get topics(): TopicName[] {
    return Object.keys(this.options.handlers) as TopicName[];
  }

  async start(): Promise<void> {
    await this.dlqProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    this.running = true;
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      // Partitions are worked in parallel; one complaint's events stay in order because they share a partition.
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 6,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.log.info({ topics: this.topics }, 'consuming');
  }

  /** Stops fetching, lets the message in hand finish, commits its offset and leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  /**
   * Handles a fetched batch key by key: each key's messages in order, different keys concurrently, so the
   * services' writes for many complaints can share round trips. The committed offset only ever moves past
   * messages that were handled (or dead-lettered): if one fails transiently, everything from it on is fetched
   * again, and handlers dedupe what they had already applied.
   */
  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const byKey = new Map<string, KafkaMessage[]>();
    for (const message of batch.messages) {
      // Keyless messages have no order to keep with anything else.
      const key = message.key ? message.key.toString('latin1') : `\u0000${message.offset}`;
      const queue = byKey.get(key);
      if (queue) queue.push(message);
      else byKey.set(key, [message]);
    }
    const done = new Set<string>();
    let failure: Error | undefined;
    const queues = [...byKey.values()];
    const worker = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const message of queue) {
          if (failure !== undefined || !payload.isRunning() || payload.isStale()) return;
          try {
            await this.onMessage(batch.topic, batch.partition, message);
            done.add(message.offset);
          } catch (error) {
            failure ??= error instanceof Error ? error : new Error(String(error));
            return;
          }
        }
        try {
          await payload.heartbeat();
        } catch (error) {
          // A rebalance: stop taking keys, commit what was handled, let kafkajs rejoin.
          failure ??= error instanceof Error ? error : new Error(String(error));
          return;
        }
      }
    };
    const workers = Math.min(queues.length, Math.max(1, this.options.keysConcurrently ?? 64));
    await Promise.all(Array.from({ length: workers }, worker));
    let committed: string | undefined;
    for (const message of batch.messages) {
      if (!done.has(message.offset)) break;
      committed = message.offset;
    }
    if (committed !== undefined) payload.resolveOffset(committed);
    if (failure !== undefined) throw failure;
  }

  private async onMessage(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const meta: MessageMeta = {
      topic: topic as TopicName,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      traceparent: carrierFromHeaders(message.headers).traceparent,
    };
    const handler = this.options.handlers[meta.topic];
    const metrics = this.options.metrics;
    const appendedAt = Number(message.timestamp);
    if (metrics && appendedAt > 0)
      metrics.consumeLag.observe({ topic }, Math.max(0, Date.now() - appendedAt) / 1000);
    await withProcessSpan(
      topic,
      this.options.groupId,
      message.headers,
      { 'messaging.kafka.offset': message.offset },
      async () => {
        const decoded = decodeEvent(meta.topic, message.value);
        if (!decoded.ok || !handler) {
          await this.deadLetter(meta, message, decoded.ok ? 'no handler for topic' : decoded.reason, 0);
          return;
        }
        const maxAttempts = Math.max(1, this.options.maxAttempts);
        for (let attempt = 1; ; attempt++) {
          try {
            const started = performance.now();
            await handler(decoded.event, meta);
            metrics?.handleDuration.observe({ topic }, (performance.now() - started) / 1000);
            metrics?.consumed.inc({ topic, outcome: 'handled' });
            return;
          } catch (error) {
            if (isTransient(error)) {
              this.log.warn(
                { err: error, topic, offset: meta.offset },
                'transient failure; message will be retried',
              );
              throw error;
            }
            if (attempt >= maxAttempts) {
              await this.deadLetter(
                meta,
                message,
                `handler failed after ${attempt} attempts: ${(error as Error).message}`,
                attempt,
              );
              return;
            }
            this.log.warn({ err: error, topic, offset: meta.offset, attempt }, 'handler failed; retrying');
            await sleep((this.options.retryDelayMs ?? 200) * attempt);
          }
        }
      },
    );
  }

  private async deadLetter(
    meta: MessageMeta,
    message: KafkaMessage,
    reason: string,
    attempts: number,
  ): Promise<void> {
    this.log.warn(
      { topic: meta.topic, partition: meta.partition, offset: meta.offset, reason },
      'message sent to dead-letter topic',
    );
    await this.dlqProducer.send({
      topic: dlqTopic(meta.topic),
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [EVENT_HEADERS.dlqReason]: reason.slice(0, 1000),
            [EVENT_HEADERS.dlqSourceTopic]: meta.topic,
            [EVENT_HEADERS.dlqSourcePartition]: String(meta.partition),
            [EVENT_HEADERS.dlqSourceOffset]: meta.offset,
            [EVENT_HEADERS.dlqAttempts]: String(attempts),
            [EVENT_HEADERS.dlqConsumerGroup]: this.options.groupId,
          },
        },
      ],
    });
    this.options.metrics?.consumed.inc({ topic: meta.topic, outcome: 'dead_lettered' });
  }
}
