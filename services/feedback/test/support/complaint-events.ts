// Valid upstream events for tests (received, routed, resolved), published over the Kafka protocol like the real services do.
import { randomInt } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import {
  EXAMPLE_DATA,
  TOPICS,
  type CloudEvent,
  type ComplaintReceived,
  type ComplaintResolved,
  type ComplaintRouted,
  type TopicName,
} from '@complaints/contracts';
import { createEvent } from '@complaints/platform';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const group = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(32)]).join('');

export const newComplaintId = () => `CMP-${group()}-${group()}-${group()}-${group()}`;

const clone = <T>(value: unknown): T => structuredClone(value) as T;

export function resolvedData(
  complaintId: string,
  overrides: Partial<ComplaintResolved> = {},
): ComplaintResolved {
  const attempt = overrides.attempt ?? 1;
  return {
    ...clone<ComplaintResolved>(EXAMPLE_DATA[TOPICS.resolved]),
    complaintId,
    workOrderId: `WO-${complaintId}-${attempt}`,
    ...overrides,
  };
}

export function routedData(complaintId: string, overrides: Partial<ComplaintRouted> = {}): ComplaintRouted {
  return { ...clone<ComplaintRouted>(EXAMPLE_DATA[TOPICS.routed]), complaintId, ...overrides };
}

export function receivedData(
  complaintId: string,
  overrides: Partial<ComplaintReceived> = {},
): ComplaintReceived {
  return { ...clone<ComplaintReceived>(EXAMPLE_DATA[TOPICS.received]), complaintId, ...overrides };
}

export class TestPublisher {
  private readonly producer: Producer;

  constructor(brokers: string) {
    const kafka = new Kafka({
      clientId: 'feedback-test',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    await this.producer.connect();
  }

  /** Publishes CloudEvents keyed by complaint id, in order. */
  async publish<T extends { complaintId: string }>(
    topic: TopicName,
    events: Array<{ data: T; id?: string }>,
  ): Promise<Array<CloudEvent<T>>> {
    const created = events.map(({ data, id }) =>
      createEvent({ topic, subject: data.complaintId, source: '/test', data, ...(id ? { id } : {}) }),
    );
    await this.producer.send({
      topic,
      messages: created.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
    return created;
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}
