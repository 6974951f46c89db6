// Configuration fails fast, naming every bad or missing setting with what it should be.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, platformSpec } from '../src';

const good = {
  KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9093',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/complaints',
  STAFF_TOKEN_SECRET: 'x'.repeat(32),
};

test('a good environment gives typed settings with the documented defaults', () => {
  const config = loadConfig(platformSpec, good);
  assert.deepEqual(config.KAFKA_BROKERS, ['127.0.0.1:9092', '127.0.0.1:9093']);
  assert.equal(config.CONSUMER_MAX_ATTEMPTS, 3);
  assert.equal(config.OTEL_ENABLED, true);
});

test('every problem is reported at once, in words', () => {
  assert.throws(
    () => loadConfig(platformSpec, { KAFKA_BROKERS: 'kafka', STAFF_TOKEN_SECRET: 'short' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 3);
      assert.match(error.message, /KAFKA_BROKERS: must be a comma-separated list of host:port/);
      assert.match(error.message, /MONGODB_URI: is missing/);
      assert.match(error.message, /STAFF_TOKEN_SECRET: must be at least 32 characters/);
      return true;
    },
  );
});

test('a process runs every part by default at normal priority; its role and nice value are checked', () => {
  const config = loadConfig(platformSpec, good);
  assert.equal(config.SERVICE_ROLE, 'all');
  assert.equal(config.CPU_NICE, 0);
  const split = loadConfig(platformSpec, { ...good, SERVICE_ROLE: 'consumers', CPU_NICE: '10' });
  assert.equal(split.SERVICE_ROLE, 'consumers');
  assert.equal(split.CPU_NICE, 10);
  assert.throws(
    () => loadConfig(platformSpec, { ...good, SERVICE_ROLE: 'worker', CPU_NICE: '-5' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 2);
      assert.match(error.message, /SERVICE_ROLE: .*worker/);
      assert.match(error.message, /CPU_NICE: must be an integer from 0 to 19/);
      return true;
    },
  );
  for (const bad of ['20', '2.5', 'low'])
    assert.throws(() => loadConfig(platformSpec, { ...good, CPU_NICE: bad }), /CPU_NICE/);
});
