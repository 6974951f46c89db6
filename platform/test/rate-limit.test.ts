// The per-key rate limiter and the body-size parser used by Express and direct routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, parseByteSize, RateLimiter } from '../src';

const limiter = () => new RateLimiter({ limit: 3, windowMs: 2000, detail: 'slow down' });

test('a key gets `limit` requests per window, then 429 with Retry-After until its window ends', () => {
  const l = limiter();
  const t0 = 1_000_000;
  const decisions = [0, 1, 2, 3].map((i) => l.take('key-a', t0 + i));
  assert.deepEqual(
    decisions.map((d) => d.allowed),
    [true, true, true, false],
  );
  assert.equal(decisions[0].headers.RateLimit, '"per-key"; r=2; t=2');
  assert.equal(decisions[0].headers['RateLimit-Policy'], '"per-key"; q=3; w=2');
  assert.equal(decisions[0].headers['Retry-After'], undefined);
  assert.equal(decisions[3].headers['Retry-After'], '2');
  assert.equal(l.take('key-a', t0 + 1999).allowed, false, 'still the same window');
  assert.equal(l.take('key-a', t0 + 2000).allowed, true, 'a new window starts when the old one ends');
});

test('keys do not share budgets', () => {
  const l = limiter();
  for (let i = 0; i < 3; i++) l.take('key-a', 0);
  assert.equal(l.take('key-a', 0).allowed, false);
  assert.equal(l.take('key-b', 0).allowed, true);
});

test('the refusal is a 429 problem carrying the headers', () => {
  const l = limiter();
  let last = l.take('k', 0);
  for (let i = 0; i < 3; i++) last = l.take('k', 0);
  const error = l.refusal(last);
  assert.ok(error instanceof AppError);
  assert.equal(error.status, 429);
  assert.equal(error.detail, 'slow down');
  assert.equal(error.headers?.['Retry-After'], '2');
});

test('finished windows are forgotten once many keys were seen, so keying by address cannot grow without bound', () => {
  const l = limiter();
  for (let i = 0; i < 10_000; i++) l.take(`ip-${i}`, 0);
  // Every window above has ended by t=5000; the next new key prunes them and starts with a fresh budget.
  assert.equal(l.take('ip-new', 5000).allowed, true);
  const windows = (l as unknown as { windows: Map<string, unknown> }).windows;
  assert.equal(windows.size, 1);
});

test('nonsense limits are refused at construction', () => {
  assert.throws(() => new RateLimiter({ limit: 0, windowMs: 1000, detail: '' }), /limit >= 1/);
  assert.throws(() => new RateLimiter({ limit: 1, windowMs: 0, detail: '' }), /windowMs > 0/);
});

test('body sizes are read as BODY_LIMIT is written', () => {
  assert.equal(parseByteSize('64kb'), 65536);
  assert.equal(parseByteSize('6mb'), 6 * 1024 * 1024);
  assert.equal(parseByteSize('4096'), 4096);
  assert.equal(parseByteSize(' 1.5KB '), 1536);
  assert.throws(() => parseByteSize('lots'), /not a size/);
});
