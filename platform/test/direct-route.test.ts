// Direct routes: which requests they take, and that they authenticate, limit, parse and answer problems like Express.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  ApiKeyStore,
  createLogger,
  createMetrics,
  directHandler,
  hashApiKey,
  problems,
  RateLimiter,
  type DirectRequest,
} from '../src';

const KEY = 'ck_test_key';
let server: Server;
let base: string;
const fellBack: string[] = [];
const handled: DirectRequest[] = [];

before(async () => {
  const handler = directHandler(
    {
      routes: [
        {
          method: 'POST',
          path: '/v1/things',
          allow: { partner: true },
          limiter: {
            limiter: new RateLimiter({ limit: 30, windowMs: 60_000, detail: 'thirty a minute' }),
            keyOf: (p) => (p.kind === 'partner' ? p.keyId : p.staffId),
          },
          handle: (request) => {
            handled.push(request);
            const body = request.body as { fail?: string };
            if (body.fail === 'conflict') throw problems.conflict('already there');
            if (body.fail === 'bug') throw new Error('boom');
            return Promise.resolve({
              status: 201,
              headers: { Location: '/v1/things/1' },
              body: { ok: true },
            });
          },
        },
      ],
      auth: { apiKeys: new ApiKeyStore([{ id: 'k1', channel: 'web', sha256: hashApiKey(KEY) }]) },
      logger: createLogger({ service: 'test', level: 'silent' }),
      metrics: createMetrics('direct_route_test'),
      bodyLimitBytes: 100,
    },
    (req, res) => {
      fellBack.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? ''}`);
      res.statusCode = 299;
      res.end();
    },
  );
  server = createServer(handler).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((r) => server.close(() => r())));

const post = (body: string, headers: Record<string, string> = {}, path = '/v1/things') =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, ...headers },
    body,
  });

test('a plain JSON POST to the exact path is answered directly, with the principal and rate-limit headers', async () => {
  const res = await post('{"name":"a"}');
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('location'), '/v1/things/1');
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.match(res.headers.get('ratelimit') ?? '', /^"per-key"; r=\d+; t=\d+$/);
  assert.deepEqual(await res.json(), { ok: true });
  const last = handled.at(-1)!;
  assert.deepEqual(last.principal, { kind: 'partner', channel: 'web', keyId: 'k1' });
  assert.deepEqual(last.body, { name: 'a' });
});

test('anything the direct path does not fully handle goes to the fallback (Express)', async () => {
  fellBack.length = 0;
  const cases: Array<[string, Promise<Response>]> = [
    ['other media type', post('x', { 'content-type': 'text/plain' })],
    ['a browser (Origin)', post('{}', { origin: 'http://console.test' })],
    ['gzip body', post('{}', { 'content-encoding': 'gzip' })],
    ['another charset', post('{}', { 'content-type': 'application/json; charset=latin1' })],
    ['a query string', post('{}', {}, '/v1/things?x=1')],
    ['another path', post('{}', {}, '/v1/other')],
  ];
  for (const [name, sent] of cases) assert.equal((await sent).status, 299, name);
  assert.equal(fellBack.length, cases.length);
  assert.equal((await post('{}', { 'content-type': 'application/json; charset=UTF-8' })).status, 201);
});

test('bad credentials, bad JSON, oversize bodies and handler errors become problem+json', async () => {
  const expectProblem = async (res: Response, status: number, type: string) => {
    assert.equal(res.status, status);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const problem = (await res.json()) as { status: number; type: string; instance: string };
    assert.equal(problem.status, status);
    assert.equal(problem.type, type);
    assert.equal(problem.instance, '/v1/things');
    return problem;
  };
  await expectProblem(await post('{}', { 'x-api-key': 'wrong' }), 401, 'urn:problem:unauthenticated');
  const bad = (await expectProblem(await post('{"a": '), 400, 'urn:problem:bad-request')) as unknown as {
    errors: Array<{ field: string }>;
  };
  assert.equal(bad.errors[0].field, '/');
  await expectProblem(await post('"just a string"'), 400, 'urn:problem:bad-request');
  await expectProblem(
    await post(JSON.stringify({ pad: 'x'.repeat(200) })),
    413,
    'urn:problem:payload-too-large',
  );
  await expectProblem(await post('{"fail":"conflict"}'), 409, 'urn:problem:conflict');
  const bug = await expectProblem(await post('{"fail":"bug"}'), 500, 'urn:problem:internal');
  assert.doesNotMatch(JSON.stringify(bug), /boom/, 'internal details stay in the log');
});

test('the rate limit refuses with 429 and Retry-After once the key spent its budget', async () => {
  let res: Response;
  do res = await post('{}');
  while (res.status === 201);
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.equal(((await res.json()) as { detail: string }).detail, 'thirty a minute');
});
