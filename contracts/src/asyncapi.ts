// Builds the AsyncAPI 3 document of every topic (keys, headers, CloudEvents payloads) from the topic table.
import { cloudEventOf } from './cloudevent';
import { exampleEvent } from './examples';
import { plainSchema } from './openapi';
import { ALL_TOPICS, dlqTopic, EVENT_HEADERS, TOPIC_SPECS, type TopicName } from './topics';

const channelId = (topic: string) => topic.replace(/\.v\d+$/, '').replace(/\./g, '-');
const messageName = (topic: string) =>
  (TOPIC_SPECS[topic as TopicName].schema.title as string) ?? channelId(topic);

const headers = {
  type: 'object',
  properties: {
    [EVENT_HEADERS.contentType]: { type: 'string', const: 'application/cloudevents+json; charset=utf-8' },
    [EVENT_HEADERS.traceparent]: {
      type: 'string',
      pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description: 'W3C trace context: one trace spans the complaint from intake to closure',
    },
    [EVENT_HEADERS.tracestate]: { type: 'string' },
  },
  required: [EVENT_HEADERS.contentType],
};

const dlqHeaders = {
  type: 'object',
  properties: {
    ...headers.properties,
    [EVENT_HEADERS.dlqReason]: { type: 'string', description: 'Why the message was dead-lettered' },
    [EVENT_HEADERS.dlqSourceTopic]: { type: 'string' },
    [EVENT_HEADERS.dlqSourcePartition]: { type: 'string' },
    [EVENT_HEADERS.dlqSourceOffset]: { type: 'string' },
    [EVENT_HEADERS.dlqAttempts]: { type: 'string' },
    [EVENT_HEADERS.dlqConsumerGroup]: { type: 'string' },
  },
};

export function asyncApiDocument() {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const topic of ALL_TOPICS) {
    const spec = TOPIC_SPECS[topic];
    const id = channelId(topic);
    const name = messageName(topic);
    messages[name] = {
      name,
      title: topic,
      summary: spec.description,
      contentType: 'application/cloudevents+json',
      headers,
      payload: {
        schemaFormat: 'application/schema+json;version=draft-2020-12',
        schema: plainSchema(cloudEventOf(topic, spec.schema)),
      },
      bindings: {
        kafka: {
          key: {
            type: 'string',
            description:
              'The complaint id (= CloudEvents subject): keeps one complaint in order on one partition',
          },
        },
      },
      examples: [
        {
          name: 'example',
          headers: {
            [EVENT_HEADERS.contentType]: 'application/cloudevents+json; charset=utf-8',
            traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
          },
          payload: exampleEvent(topic),
        },
      ],
    };
    channels[id] = {
      address: topic,
      description: `${spec.description} Produced by ${spec.producer}; consumed by ${spec.consumers.join(', ')}.`,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    channels[`${id}-dlq`] = {
      address: dlqTopic(topic),
      description: `Dead letters of ${topic}: messages a consumer could not validate or process, with the reason in headers.`,
      messages: { [`${name}DeadLetter`]: { $ref: `#/components/messages/${name}DeadLetter` } },
    };
    messages[`${name}DeadLetter`] = {
      name: `${name}DeadLetter`,
      title: dlqTopic(topic),
      summary: `A message from ${topic} that failed; its value is the original bytes.`,
      headers: dlqHeaders,
    };
    operations[`${spec.producer}-sends-${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      summary: `${spec.producer} publishes ${topic}`,
    };
    operations[`subscribe-${id}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      summary: `Consumers (${spec.consumers.join(', ')}, and any integrator) subscribe to ${topic}`,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Complaint platform events',
      version: '1.0.0',
      description:
        'Every state change of a complaint is a CloudEvents 1.0 event (JSON structured mode) on a Kafka topic, keyed by complaint id. Topics are versioned (.v1); a schema is never changed incompatibly in place. Delivery is at-least-once: dedupe on the CloudEvents id.',
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'Local development broker' },
    },
    channels,
    operations,
    components: { messages },
  };
}
