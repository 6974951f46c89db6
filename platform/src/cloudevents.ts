// Creating, encoding and decoding the CloudEvents (JSON structured mode) that travel on every topic.
import { randomUUID } from 'node:crypto';
import {
  CloudEventEnvelope,
  cloudEventOf,
  dataSchemaUri,
  SPEC_VERSION,
  TOPIC_SPECS,
  validate,
  type CloudEvent,
  type FieldError,
  type TopicName,
} from '@complaints/contracts';

export interface NewEvent<T> {
  topic: TopicName;
  subject: string;
  source: string;
  data: T;
  /** Deterministic ids make a re-emitted event dedupe downstream; random otherwise. */
  id?: string;
  time?: Date;
}

export function createEvent<T>(event: NewEvent<T>): CloudEvent<T> {
  return {
    specversion: SPEC_VERSION,
    id: event.id ?? randomUUID(),
    source: event.source,
    type: event.topic,
    subject: event.subject,
    time: (event.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(event.topic),
    data: event.data,
  };
}

export type Decoded<T> =
  { ok: true; event: CloudEvent<T> } | { ok: false; reason: string; errors?: FieldError[] };

/** Parses and validates a message value against the envelope and the topic's data schema. */
export function decodeEvent<T>(topic: TopicName, value: Buffer | null): Decoded<T> {
  if (!value || value.length === 0) return { ok: false, reason: 'empty message value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
  }
  // The topic's schema checks the envelope too (its type pinned to the topic): one pass for a valid event, and
  // only a rejected one is checked again, against the envelope alone, to say what is wrong with it.
  const full = validate(cloudEventOf(topic, TOPIC_SPECS[topic].schema), parsed);
  if (full.ok) return { ok: true, event: parsed as CloudEvent<T> };
  const envelope = validate(CloudEventEnvelope, parsed);
  if (!envelope.ok)
    return { ok: false, reason: `not a CloudEvent: ${summarise(envelope.errors)}`, errors: envelope.errors };
  if (envelope.value.type !== topic) {
    return { ok: false, reason: `event type ${envelope.value.type} does not belong on ${topic}` };
  }
  return { ok: false, reason: `invalid ${topic} data: ${summarise(full.errors)}`, errors: full.errors };
}

function summarise(errors: FieldError[]): string {
  return errors
    .slice(0, 5)
    .map((e) => `${e.field} ${e.message}`)
    .join('; ');
}
