// The CloudEvents 1.0 envelope (JSON structured mode) wrapped around every event's data.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ComplaintId, Timestamp } from './taxonomy';

export const SPEC_VERSION = '1.0';
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** Envelope attributes without `data`; used to check an incoming message before its data. */
export const CloudEventEnvelope = Type.Object(
  {
    specversion: Type.Literal(SPEC_VERSION),
    id: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Unique per event; consumers dedupe on it',
    }),
    source: Type.String({
      minLength: 1,
      description: 'URI reference of the emitting service',
      examples: ['/services/intake'],
    }),
    type: Type.String({
      minLength: 1,
      description: 'Event type; equals the topic name',
      examples: ['complaints.received.v1'],
    }),
    subject: ComplaintId,
    time: Timestamp,
    datacontenttype: Type.Literal('application/json'),
    dataschema: Type.String({ minLength: 1, description: 'URI of the data schema' }),
    data: Type.Unknown(),
  },
  { additionalProperties: false, description: 'CloudEvents 1.0 envelope, JSON structured mode' },
);
export type CloudEventEnvelope = Static<typeof CloudEventEnvelope>;

export interface CloudEvent<T> extends Omit<CloudEventEnvelope, 'data'> {
  data: T;
}

const eventSchemas = new Map<string, TSchema>();

/** The envelope with `data` narrowed to one event's schema; one object per type, so ajv compiles it once. */
export function cloudEventOf<T extends TSchema>(type: string, data: T) {
  const build = () =>
    Type.Object(
      { ...CloudEventEnvelope.properties, type: Type.Literal(type), data },
      { additionalProperties: false, $id: `urn:complaint-platform:event:${type}`, title: type },
    );
  const cached = eventSchemas.get(type) as ReturnType<typeof build> | undefined;
  if (cached) return cached;
  const schema = build();
  eventSchemas.set(type, schema);
  return schema;
}

export const dataSchemaUri = (type: string) => `urn:complaint-platform:schema:${type}`;
