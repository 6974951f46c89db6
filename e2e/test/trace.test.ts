// One trace per complaint: the span started by the partner's POST continues through every Kafka hop and the
// outboxes, through intake → routing → resolution → feedback and back, proven with an in-memory exporter.
import { spans } from './support/telemetry';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { TOPICS, type ComplaintResolved } from '@complaints/contracts';
import {
  EventCollector,
  makeTestCredentials,
  startTestInfra,
  type TestCredentials,
  type TestInfra,
  serviceTestEnv,
} from '@complaints/platform/testing';
import { start as startIntake } from '@complaints/intake';
import { start as startRouting } from '@complaints/routing';
import { start as startResolution } from '@complaints/resolution';
import { start as startFeedback } from '@complaints/feedback';
import { ComplaintDriver } from '../src/complaint-driver';

let infra: TestInfra;
let creds: TestCredentials;
const running: Array<{ stop(): Promise<void> }> = [];
const urls = {} as Record<'intake' | 'routing' | 'resolution' | 'feedback', string>;

before(async () => {
  infra = await startTestInfra();
  creds = await makeTestCredentials();
  const env = (name: string): NodeJS.ProcessEnv =>
    serviceTestEnv(infra, creds, name, {
      SURVEY_LINK_SECRET: 'trace-test-survey-secret-0123456789abcdef',
      OUTBOX_SWEEP_MS: '300',
    });
  const starts = {
    intake: startIntake,
    routing: startRouting,
    resolution: startResolution,
    feedback: startFeedback,
  };
  for (const [name, start] of Object.entries(starts) as Array<
    [keyof typeof urls, (o: { env: NodeJS.ProcessEnv }) => Promise<{ port: number; stop(): Promise<void> }>]
  >) {
    const service = await start({ env: env(name) });
    running.push(service);
    urls[name] = `http://127.0.0.1:${service.port}`;
  }
});

after(async () => {
  for (const service of running.reverse()) await service.stop();
  await infra?.stop();
});

const parentOf = (span: ReadableSpan): string | undefined =>
  (span as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId ??
  (span as unknown as { parentSpanId?: string }).parentSpanId;

test("the partner's POST starts one trace that every hop continues, to the complaint's closure; integrators read the resolved event with its charge decision", async () => {
  const driver = new ComplaintDriver(urls, creds);
  const id = await driver.submit(
    {
      id: 'trace',
      text: '小区晚上电压只有185伏，灯一直很暗。',
      channel: 'hotline',
      rootCause: 'power_quality',
      subtype: 'voltage_low',
      urgent: false,
    },
    '5012087734',
  );
  await driver.toClosure(id, false);
  await driver.eventually('closure', async () => {
    if ((await driver.status(id)) !== 'closed') throw new TypeError('not closed yet');
  });

  const all = spans.getFinishedSpans();
  const post = all.find(
    (s) =>
      s.kind === SpanKind.SERVER &&
      s.attributes['http.route'] === '/v1/complaints' &&
      s.attributes['http.request.method'] !== 'GET' &&
      String(s.name).startsWith('POST'),
  );
  assert.ok(post, 'the POST /v1/complaints server span');
  const traceId = post.spanContext().traceId;
  const trace = all.filter((s) => s.spanContext().traceId === traceId);
  const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));

  const descendsFromPost = (span: ReadableSpan): boolean => {
    for (let current: ReadableSpan | undefined = span, hops = 0; current && hops < 50; hops++) {
      if (current === post) return true;
      const parent = parentOf(current);
      current = parent ? byId.get(parent) : undefined;
    }
    return false;
  };

  for (const topic of [TOPICS.received, TOPICS.routed, TOPICS.resolved, TOPICS.closed]) {
    const sends = trace.filter((s) => s.name === `send ${topic}` && s.kind === SpanKind.PRODUCER);
    const processes = trace.filter((s) => s.name === `process ${topic}` && s.kind === SpanKind.CONSUMER);
    assert.ok(sends.length >= 1, `a producer span for ${topic} in the complaint's trace`);
    assert.ok(processes.length >= 1, `a consumer span for ${topic} in the complaint's trace`);
    for (const consumer of processes) {
      assert.ok(
        sends.some((send) => send.spanContext().spanId === parentOf(consumer)),
        `process ${topic} is the child of send ${topic}`,
      );
      assert.ok(descendsFromPost(consumer), `process ${topic} descends from the POST`);
    }
  }
  // Routing's decision is consumed by resolution, feedback and intake: three consumers, one trace.
  assert.ok(trace.filter((s) => s.name === `process ${TOPICS.routed}`).length >= 3);

  // What integrators read: the resolved event of this complaint, worked over HTTP, with the charge decision.
  const collector = new EventCollector(infra.kafkaBrokers, [TOPICS.resolved]);
  await collector.start();
  try {
    const message = await collector.waitFor(
      (ms) => ms.find((m) => m.key === id),
      30000,
      'the resolved event',
    );
    const resolved = (message.value as { data: ComplaintResolved }).data;
    assert.equal(resolved.assetOwner, 'utility');
    assert.deepEqual(resolved.charge.decision, 'free');
    assert.equal(resolved.resolutionCode, 'e2e_fixed_1');
    assert.equal(resolved.rootCause, 'power_quality');
    assert.equal(resolved.attempt, 1);
  } finally {
    await collector.stop();
  }
});
