// Boots a real resolution service on port 0 against the test backend, with a clock the test moves, and publishes events to it.
import { randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  EXAMPLE_DATA,
  TOPICS,
  type CloudEvent,
  type ComplaintRouted,
} from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import { makeTestCredentials, type TestCredentials, type TestInfra } from '@complaints/platform/testing';
import { start, type Clock, type ResolutionService } from '../../src';

/** A clock that only moves when the test says so. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date): void {
    this.current = at.getTime();
  }
}

export interface Harness {
  service: ResolutionService;
  baseUrl: string;
  logs: string[];
}

export async function startResolution(
  infra: TestInfra,
  opts: { database: string; creds: TestCredentials; clock: Clock; env?: Record<string, string> },
): Promise<Harness> {
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const service = await start({
    env: {
      KAFKA_BROKERS: infra.kafkaBrokers,
      MONGODB_URI: infra.mongoUri(opts.database),
      STAFF_TOKEN_SECRET: opts.creds.secret,
      PORT: '0',
      LOG_LEVEL: 'info',
      KAFKA_TOPIC_PARTITIONS: '3',
      OUTBOX_SWEEP_MS: '200',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      // The tests tick the scheduler themselves; the background tick stays out of the way.
      SLA_TICK_MS: '3600000',
      ...opts.env,
    },
    clock: opts.clock,
    logDestination,
    onFatal: (error) => {
      throw error;
    },
  });
  return { service, baseUrl: `http://127.0.0.1:${service.port}`, logs };
}

export { makeTestCredentials };

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const block = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(32)]).join('');
export const newComplaintId = () => `CMP-${block()}-${block()}-${block()}-${block()}`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A routed event whose deadlines follow the 95598 defaults from `at`. */
export function routedEvent(
  complaintId: string,
  at: Date,
  overrides: Partial<ComplaintRouted> & {
    subtype?: ComplaintRouted['classification']['subtype'];
    id?: string;
  } = {},
): CloudEvent<ComplaintRouted> {
  const { subtype, id, ...rest } = overrides;
  const base = EXAMPLE_DATA[TOPICS.routed];
  const data: ComplaintRouted = {
    ...base,
    classification: { ...base.classification, ...(subtype ? { subtype } : {}) },
    complaintId,
    deadlines: {
      dispatchBy: new Date(at.getTime() + 20 * MINUTE).toISOString(),
      firstContactBy: new Date(at.getTime() + 24 * HOUR).toISOString(),
      resolveBy: new Date(at.getTime() + 96 * HOUR).toISOString(),
    },
    routedAt: at.toISOString(),
    ...rest,
  };
  return createEvent({
    topic: TOPICS.routed,
    subject: complaintId,
    source: '/services/routing',
    id: id ?? `${complaintId}/routed/${data.revision}`,
    data,
    time: at,
  });
}

/** Publishes events the way the other services do: CloudEvents JSON, keyed by complaint id. */
export class EventPublisher {
  private readonly producer: Producer;
  constructor(brokers: string) {
    this.producer = new Kafka({
      clientId: 'resolution-test',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).producer();
  }
  connect() {
    return this.producer.connect();
  }
  async publish(...events: Array<CloudEvent<unknown>>): Promise<void> {
    const byTopic = new Map<string, Array<CloudEvent<unknown>>>();
    for (const e of events) byTopic.set(e.type, [...(byTopic.get(e.type) ?? []), e]);
    for (const [topic, list] of byTopic) {
      await this.producer.send({
        topic: topic,
        messages: list.map((e) => ({
          key: e.subject,
          value: JSON.stringify(e),
          headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
        })),
      });
    }
  }
  disconnect() {
    return this.producer.disconnect();
  }
}

/** Polls until the probe returns something truthy. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error as Error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
