// /readyz: its answers, and logs that tell ops when readiness changed without a warning for every probe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { createHttpApp, createLogger, createMetrics } from '../src';

test('/readyz logs each change of readiness once, warns only when a ready service stops being ready, and other 5xx answers still warn', async () => {
  const lines: Array<Record<string, unknown>> = [];
  let kafkaUp = false;
  const app = createHttpApp({
    service: 'readiness-test',
    logger: createLogger({
      service: 'readiness-test',
      destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    }),
    metrics: createMetrics('readiness_test'),
    readiness: [
      { name: 'mongodb', check: () => true },
      { name: 'kafka', check: () => kafkaUp },
    ],
    openApi: {},
    auth: {},
    routes: (routes) => {
      routes.get('/v1/broken', (_req, res) => {
        res.status(502).end();
      });
    },
  });
  const probe = async (status: number) => {
    const res = await request(app).get('/readyz');
    assert.equal(res.status, status);
    return res.body as { status: string; checks: Record<string, boolean> };
  };
  const logged = () => lines.map((l) => `${String(l.level)}: ${String(l.msg)}`);

  // Starting: not ready is expected, so it is told once, as information.
  assert.deepEqual(await probe(503), { status: 'not_ready', checks: { mongodb: true, kafka: false } });
  await probe(503);
  assert.deepEqual(logged(), ['info: not ready yet']);
  assert.deepEqual(lines[0].failing, ['kafka']);

  kafkaUp = true;
  assert.equal((await probe(200)).status, 'ready');
  await probe(200);
  assert.deepEqual(logged(), ['info: not ready yet', 'info: ready']);

  // Losing a dependency after having been ready is worth a warning, once.
  kafkaUp = false;
  await probe(503);
  await probe(503);
  assert.deepEqual(logged(), ['info: not ready yet', 'info: ready', 'warn: no longer ready']);
  assert.deepEqual(lines[2].failing, ['kafka']);

  // Any other 5xx answer is still logged as a failed request.
  assert.equal((await request(app).get('/v1/broken')).status, 502);
  assert.equal(logged().at(-1), 'warn: request failed');
  assert.equal(lines.at(-1)?.url, '/v1/broken');
});
