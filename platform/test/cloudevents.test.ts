// Decoding consumed events: a valid one passes in one check; a rejected one says what is wrong with it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_DATA, TOPICS } from '@complaints/contracts';
import { createEvent, decodeEvent } from '../src/cloudevents';

const routed = createEvent({
  topic: TOPICS.routed,
  subject: EXAMPLE_DATA[TOPICS.routed].complaintId,
  source: '/services/routing',
  data: EXAMPLE_DATA[TOPICS.routed],
});
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const reasonOf = (topic: (typeof TOPICS)[keyof typeof TOPICS], value: Buffer | null) => {
  const decoded = decodeEvent(topic, value);
  assert.equal(decoded.ok, false);
  return decoded.ok ? '' : decoded.reason;
};

describe('decodeEvent', () => {
  test('a valid event comes back as it was sent', () => {
    const decoded = decodeEvent(TOPICS.routed, encode(routed));
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.event, routed);
  });

  test('each kind of rejection names its cause', () => {
    assert.equal(reasonOf(TOPICS.routed, null), 'empty message value');
    assert.match(reasonOf(TOPICS.routed, Buffer.from('{not json')), /^value is not JSON/);
    const { specversion: _omitted, ...noVersion } = routed;
    assert.match(reasonOf(TOPICS.routed, encode(noVersion)), /^not a CloudEvent: \/specversion is required$/);
    assert.match(
      reasonOf(TOPICS.routed, encode({ ...routed, time: 'yesterday' })),
      /^not a CloudEvent: \/time must match format "date-time"$/,
    );
    assert.equal(
      reasonOf(TOPICS.received, encode(routed)),
      `event type ${TOPICS.routed} does not belong on ${TOPICS.received}`,
    );
    const decoded = decodeEvent(TOPICS.routed, encode({ ...routed, data: { complaintId: routed.subject } }));
    assert.ok(!decoded.ok);
    assert.match(decoded.reason, /^invalid complaints\.routed\.v1 data: \/data\/\w+ is required/);
    assert.ok(decoded.errors?.some((e) => e.field.startsWith('/data/')));
  });
});
