// Reads events back from the broker over the Kafka protocol, for assertions in integration tests.
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { uniqueName } from './infra';

export interface ReceivedMessage {
  topic: string;
  partition: number;
  key: string | null;
  value: unknown;
  raw: string | null;
  headers: Record<string, string>;
}

function decode(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  const raw = message.value?.toString('utf8') ?? null;
  let value: unknown = raw;
  try {
    value = raw === null ? null : JSON.parse(raw);
  } catch {
    // Poison messages are read back as text.
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
  return { topic, partition, key: message.key?.toString() ?? null, value, raw, headers };
}

/** A consumer in its own group that collects everything on the given topics from the beginning. */
export class EventCollector {
  readonly messages: ReceivedMessage[] = [];
  private readonly kafka: Kafka;
  private readonly consumer;
  private waiters: Array<() => void> = [];

  constructor(
    brokers: string,
    private readonly topics: string[],
  ) {
    this.kafka = new Kafka({
      clientId: uniqueName('test-collector'),
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    this.consumer = this.kafka.consumer({
      groupId: uniqueName('test-collector'),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: 6000,
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        this.messages.push(decode(topic, partition, message));
        for (const wake of this.waiters.splice(0)) wake();
        return Promise.resolve();
      },
    });
  }

  /** Waits until the predicate holds for the collected messages, or fails after the timeout. */
  async waitFor<T>(
    predicate: (messages: ReceivedMessage[]) => T | undefined | false,
    timeoutMs = 20000,
    what = 'messages',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = predicate(this.messages);
      if (result) return result;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; have ${this.messages.length} messages`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
