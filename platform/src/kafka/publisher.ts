// Publishes stored events to Kafka in batches: keyed by complaint id, CloudEvents structured mode, trace context in headers.
import { SpanStatusCode } from '@opentelemetry/api';
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { CLOUDEVENTS_CONTENT_TYPE, EVENT_HEADERS } from '@complaints/contracts';
import { startPublishSpan, type TraceCarrier } from './tracing';

export interface OutgoingEvent extends TraceCarrier {
  topic: string;
  /** Complaint id: keeps one complaint's events in order on one partition. */
  key: string;
  /** The encoded CloudEvent. */
  value: string;
}

export class EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    // One request in flight: a retry cannot reorder a complaint's events. Not kafkajs' idempotent mode, which
    // wants to retry without end: a send must fail within bounds so the relay keeps the events stored and
    // tries again later. A retry may duplicate an event; consumers dedupe on its id.
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  /** Sends every event or throws; the caller marks events sent only after this resolves. */
  async publish(events: OutgoingEvent[]): Promise<void> {
    if (!events.length) return;
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    const spans = events.map((event) => {
      const { span, headers } = startPublishSpan(event.topic, event.key, event);
      const message: Message = {
        key: event.key,
        value: event.value,
        headers: { [EVENT_HEADERS.contentType]: CLOUDEVENTS_CONTENT_TYPE, ...headers },
      };
      const list = byTopic.get(event.topic) ?? [];
      list.push(message);
      byTopic.set(event.topic, list);
      return span;
    });
    try {
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const span of spans)
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
    this.connected = false;
  }
}
