// One kafkajs client per service, logging through pino, with topics created explicitly (each with a .dlq twin).
import { Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import { dlqTopic } from '@complaints/contracts';
import type { Logger } from '../logger';
import { fixIdleRequestQueueTimers } from './request-queue-timer';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(options: KafkaOptions): Kafka {
  fixIdleRequestQueueTimers();
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[levels[level] ?? 'info']({ ...rest, namespace: undefined }, message);
      },
  });
}

export interface TopicOptions {
  partitions: number;
  replicationFactor: number;
}

/** Creates each topic and its dead-letter twin if missing; topics are never auto-created by producers. */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  options: TopicOptions,
): Promise<string[]> {
  const wanted = [...new Set(topics.flatMap((t) => [t, dlqTopic(t)]))];
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: topic.endsWith('.dlq') ? 1 : options.partitions,
        replicationFactor: options.replicationFactor,
      })),
    });
  }
  return missing;
}
