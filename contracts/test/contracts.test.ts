// Each schema accepts its examples and rejects crafted bad ones; the published documents match the schemas.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  ALL_TOPICS,
  CloudEventEnvelope,
  ComplaintSubmission,
  ENDPOINTS,
  EXAMPLE_DATA,
  TOPIC_SPECS,
  TOPICS,
  asyncApiDocument,
  cloudEventOf,
  exampleEvent,
  generatedDocuments,
  openApiDocument,
  validate,
} from '../src';

const clone = <T>(value: T): T => structuredClone(value);

describe('event schemas', () => {
  for (const topic of ALL_TOPICS) {
    test(`${topic} accepts its documented example, wrapped in a CloudEvent`, () => {
      const result = validate(cloudEventOf(topic, TOPIC_SPECS[topic].schema), exampleEvent(topic));
      assert.deepEqual(result.ok ? [] : result.errors, []);
    });

    test(`${topic} rejects an unknown field, a missing complaintId and a wrong type`, () => {
      const schema = TOPIC_SPECS[topic].schema;
      const extra = { ...clone(EXAMPLE_DATA[topic]), surprise: 1 };
      const extraResult = validate(schema, extra);
      assert.equal(extraResult.ok, false);
      if (!extraResult.ok)
        assert.deepEqual(extraResult.errors, [{ field: '/surprise', message: 'is not a known field' }]);

      const { complaintId: _dropped, ...missing } = clone(EXAMPLE_DATA[topic]) as Record<string, unknown>;
      const missingResult = validate(schema, missing);
      assert.equal(missingResult.ok, false);
      if (!missingResult.ok)
        assert.ok(
          missingResult.errors.some((e) => e.field === '/complaintId' && e.message === 'is required'),
        );

      const wrongType = { ...clone(EXAMPLE_DATA[topic]), complaintId: 42 };
      assert.equal(validate(schema, wrongType).ok, false);
    });
  }

  test('a complaint id must have the quotable CMP-XXXX-XXXX-XXXX-XXXX form', () => {
    const data = { ...clone(EXAMPLE_DATA[TOPICS.received]), complaintId: 'CMP-1234' };
    const result = validate(TOPIC_SPECS[TOPICS.received].schema, data);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.errors[0]?.field, '/complaintId');
  });

  test('the routed event rejects a subtype outside the taxonomy and a grade outside the four', () => {
    const routed = clone(EXAMPLE_DATA[TOPICS.routed]) as Record<string, any>;
    routed.classification.subtype = 'bad_vibes';
    routed.grade = 'critical';
    const result = validate(TOPIC_SPECS[TOPICS.routed].schema, routed);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.ok(
        result.errors.some(
          (e) => e.field === '/classification/subtype' && e.message.startsWith('must be one of'),
        ),
      );
      assert.ok(result.errors.some((e) => e.field === '/grade'));
    }
  });

  test('the envelope requires CloudEvents 1.0 attributes', () => {
    const event = clone(exampleEvent(TOPICS.resolved)) as unknown as Record<string, unknown>;
    event.specversion = '0.3';
    delete event.time;
    const result = validate(CloudEventEnvelope, event);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.ok(result.errors.some((e) => e.field === '/specversion'));
      assert.ok(result.errors.some((e) => e.field === '/time' && e.message === 'is required'));
    }
  });

  test('an event of one topic does not pass as another', () => {
    const event = exampleEvent(TOPICS.closed);
    assert.equal(
      validate(cloudEventOf(TOPICS.reopened, TOPIC_SPECS[TOPICS.reopened].schema), event).ok,
      false,
    );
  });
});

describe('complaint submission body', () => {
  const good = ComplaintSubmission.examples[0] as Record<string, unknown>;

  test('accepts the documented example and a minimal body in English or Traditional Chinese', () => {
    assert.equal(validate(ComplaintSubmission, good).ok, true);
    assert.equal(
      validate(ComplaintSubmission, { customer: { accountNo: 'A-1' }, text: 'Lights flicker every night.' })
        .ok,
      true,
    );
    assert.equal(
      validate(ComplaintSubmission, {
        customer: { accountNo: '07123456789' },
        text: '停咗電成日，搞掂未呀？',
      }).ok,
      true,
    );
  });

  const bad: Array<[string, unknown, string]> = [
    ['no account number', { customer: {}, text: 'x' }, '/customer/accountNo'],
    ['empty text', { customer: { accountNo: '1' }, text: '' }, '/text'],
    ['text over 5,000 characters', { customer: { accountNo: '1' }, text: '电'.repeat(5001) }, '/text'],
    ['text of the wrong type', { customer: { accountNo: '1' }, text: 12 }, '/text'],
    ['a channel in the body', { customer: { accountNo: '1' }, text: 'x', channel: 'hotline' }, '/channel'],
    ['a bad phone number', { customer: { accountNo: '1', phone: 'call me' }, text: 'x' }, '/customer/phone'],
    [
      'an unknown area type',
      { customer: { accountNo: '1' }, text: 'x', location: { areaType: 'suburban' } },
      '/location/areaType',
    ],
    [
      'a date that is not a date',
      { customer: { accountNo: '1' }, text: 'x', occurredAt: 'yesterday' },
      '/occurredAt',
    ],
  ];
  for (const [name, body, field] of bad) {
    test(`rejects ${name}, naming ${field}`, () => {
      const result = validate(ComplaintSubmission, body);
      assert.equal(result.ok, false);
      if (!result.ok)
        assert.ok(
          result.errors.some((e) => e.field === field),
          JSON.stringify(result.errors),
        );
    });
  }
});

describe('published documents', () => {
  test('the committed files under contracts/generated are what the schemas produce today', () => {
    for (const [file, content] of Object.entries(generatedDocuments())) {
      const committed = readFileSync(join(__dirname, '..', 'generated', file), 'utf8');
      assert.equal(committed, content, `${file} is stale: run npm run generate -w @complaints/contracts`);
    }
  });

  test('the AsyncAPI 3 document describes every topic and its dead-letter twin, keyed by complaint id', () => {
    const doc = asyncApiDocument();
    assert.equal(doc.asyncapi, '3.0.0');
    const addresses = Object.values(doc.channels).map((c) => (c as { address: string }).address);
    for (const topic of ALL_TOPICS) {
      assert.ok(addresses.includes(topic), topic);
      assert.ok(addresses.includes(`${topic}.dlq`), `${topic}.dlq`);
    }
    for (const message of Object.values(doc.components.messages) as Array<Record<string, any>>) {
      if (!message.payload) continue;
      assert.match(message.bindings.kafka.key.description, /complaint id/);
      assert.ok(message.headers.properties.traceparent);
      const example = message.examples[0].payload;
      const schema = TOPIC_SPECS[example.type as keyof typeof TOPIC_SPECS].schema;
      assert.equal(validate(cloudEventOf(example.type, schema), example).ok, true);
    }
  });

  test('the OpenAPI 3.1 document has every endpoint with its security and request schema', () => {
    const doc = openApiDocument();
    assert.equal(doc.openapi, '3.1.0');
    for (const endpoint of ENDPOINTS) {
      const op = doc.paths[endpoint.path]?.[endpoint.method] as Record<string, any> | undefined;
      assert.ok(op, `${endpoint.method} ${endpoint.path}`);
      assert.ok(op.security.length > 0, `${endpoint.operationId} has no security`);
      if (endpoint.request) {
        const schema = op.requestBody.content['application/json'].schema;
        assert.ok(schema.properties ?? schema.anyOf, `${endpoint.operationId} has no request schema`);
      }
    }
  });
});
