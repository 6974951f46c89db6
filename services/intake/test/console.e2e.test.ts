// The ops console end to end: all four services in one process, Debian's Chromium driving the page an ops user sees.
import './support/telemetry';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import {
  makeTestCredentials,
  startTestInfra,
  type TestCredentials,
  type TestInfra,
  serviceTestEnv,
} from '@complaints/platform/testing';
import { start as startIntake, type IntakeService } from '@complaints/intake';
import { start as startRouting, type RoutingService } from '@complaints/routing';
import { start as startResolution, type ResolutionService } from '@complaints/resolution';
import { start as startFeedback, type FeedbackService } from '@complaints/feedback';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = resolve(__dirname, '../../../test-artifacts/console');
const ACCOUNT = `66${Date.now().toString().slice(-8)}`;
const OUTAGE_AREA = `TA-E2E${randomBytes(2).toString('hex').toUpperCase()}`;
const MINUTE = 60_000;

let infra: TestInfra;
let creds: TestCredentials;
let intake: IntakeService;
let routing: RoutingService;
let resolution: ResolutionService;
let feedback: FeedbackService;
let browser: Browser | undefined;
let page: Page;
let intakeUrl: string;
let resolutionUrl: string;
let feedbackUrl: string;
/** How far the resolution service's clock runs ahead: moved once the resolved complaint is done, so others fall due. */
let resolutionAheadMs = 0;
const complaints: string[] = [];

const bearer = async (role: 'ops' | 'supervisor' | 'manager', staffId: string) =>
  `Bearer ${await creds.token({ staffId, role })}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Service logs stay out of the test report; failures show in the assertions. */
const quiet = () => ({
  logDestination: new Writable({ write: (_chunk, _enc, done) => done() }),
  onFatal: (error: Error) => {
    throw error;
  },
});

function env(database: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return serviceTestEnv(infra, creds, database, extra);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

async function postComplaint(text: string, location?: object): Promise<string> {
  const res = await request(intakeUrl)
    .post('/v1/complaints')
    .set('X-Api-Key', creds.apiKeys.hotline)
    .set('Idempotency-Key', randomUUID())
    .send({ customer: { accountNo: ACCOUNT }, text, ...(location ? { location } : {}) });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  complaints.push(res.body.id);
  return res.body.id as string;
}

const workOrder = (id: string, token: string) =>
  until(`work order of ${id}`, async () => {
    const res = await request(resolutionUrl).get(`/v1/work-orders/WO-${id}`).set('Authorization', token);
    return res.status === 200 ? (res.body as { id: string; status: string }) : undefined;
  });

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

before(async () => {
  // Never skipped: a console nobody looked at in a browser is not tested.
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: run \`npm run setup\` (it installs Debian's chromium package) and run the test again.`,
  );
  mkdirSync(SHOTS, { recursive: true });
  infra = await startTestInfra();
  creds = await makeTestCredentials();
  const intakePort = await freePort();
  const intakeOrigin = `http://127.0.0.1:${intakePort}`;
  const cors = { CORS_ORIGINS: intakeOrigin };
  routing = await startRouting({ env: env('routing', cors), ...quiet() });
  resolution = await startResolution({
    env: env('resolution', { ...cors, SLA_TICK_MS: '500', SLA_WARNING_RATIO: '0.01' }),
    clock: { now: () => new Date(Date.now() + resolutionAheadMs) },
    ...quiet(),
  });
  feedback = await startFeedback({
    env: env('feedback', { ...cors, SURVEY_LINK_SECRET: randomBytes(32).toString('base64url') }),
    ...quiet(),
  });
  const url = (port: number) => `http://127.0.0.1:${port}`;
  resolutionUrl = url(resolution.port);
  feedbackUrl = url(feedback.port);
  intake = await startIntake({
    env: env('intake', {
      PORT: String(intakePort),
      ROUTING_URL: url(routing.port),
      RESOLUTION_URL: resolutionUrl,
      FEEDBACK_URL: feedbackUrl,
    }),
    ...quiet(),
  });
  intakeUrl = url(intake.port);
  await Promise.all([intake, routing, resolution, feedback].map((s) => s.runtime.kafkaReady()));

  // A complaint taken all the way: routed, worked, resolved, called back (so the KPIs have figures).
  const supervisor = await bearer('supervisor', 'S-0101');
  const resolvedId = await postComplaint('最近一周每天晚上电压只有180伏左右，空调启动不了，请尽快处理。');
  await postComplaint('营业厅的工作人员态度很差，问了两句就不耐烦，还让我别再来了。');
  await postComplaint(
    'This month’s electricity bill is three times the usual amount; the meter reading looks wrong.',
  );
  await postComplaint('整个小区突然停电了，已经停了两个小时还没来电。', { transformerArea: OUTAGE_AREA });
  await postComplaint('我们这栋楼也全部停电了，电梯都停了，什么时候恢复供电？', {
    transformerArea: OUTAGE_AREA,
  });
  const order = await workOrder(resolvedId, supervisor);
  const act = async (action: string, body: object = {}) => {
    const res = await request(resolutionUrl)
      .post(`/v1/work-orders/${order.id}/${action}`)
      .set('Authorization', supervisor)
      .send(body);
    assert.equal(res.status, 200, `${action}: ${JSON.stringify(res.body)}`);
  };
  await act('accept');
  await act('contact', { method: 'phone', note: 'Visit agreed for this afternoon' });
  await act('on-site');
  await act('resolve', {
    assetOwner: 'utility',
    workDone: 'Raised the transformer tap one step; 224 V measured at the meter.',
    resolutionCode: 'transformer_tap_adjusted',
  });
  // Another complaint is accepted but not yet contacted: its first-contact limit will be near, not missed.
  const accepted = await workOrder(complaints[1], supervisor);
  const accept = await request(resolutionUrl)
    .post(`/v1/work-orders/${accepted.id}/accept`)
    .set('Authorization', supervisor)
    .send({});
  assert.equal(accept.status, 200, JSON.stringify(accept.body));
  const manager = await bearer('manager', 'M-0201');
  const callbackId = `CB-${resolvedId}-1`;
  await until(`callback task ${callbackId}`, async () => {
    const res = await request(feedbackUrl).get(`/v1/callbacks/${callbackId}`).set('Authorization', manager);
    return res.status === 200 ? true : undefined;
  });
  const outcome = await request(feedbackUrl)
    .post(`/v1/callbacks/${callbackId}/outcome`)
    .set('Authorization', manager)
    .send({ outcome: 'satisfied', rating: 5 });
  assert.equal(outcome.status, 200, JSON.stringify(outcome.body));
  await until('the complaint closed in intake', async () => {
    const res = await request(intakeUrl).get(`/v1/complaints/${resolvedId}`).set('Authorization', manager);
    return res.body.status === 'closed' ? true : undefined;
  });
  for (const id of complaints.slice(2)) await workOrder(id, supervisor);
  // Half an hour later on the resolution clock: unaccepted orders missed their 20-minute dispatch limit.
  resolutionAheadMs = 30 * MINUTE;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  page.on('pageerror', (error) => console.log(`# page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await Promise.all([intake, routing, resolution, feedback].map((s) => s?.stop()));
  await infra?.stop();
});

describe('the ops console in Chromium', () => {
  test('sign in with an ops token', async () => {
    await page.goto(`${intakeUrl}/console/`);
    await page.locator('#signin-form').waitFor();
    await shot('01-sign-in');
    await page.fill('#token', 'not-a-token');
    await page.click('#sign-in');
    await page.locator('#signin-error [role=alert]').waitFor();
    assert.match(await page.locator('#signin-error').innerText(), /three dot-separated parts/);
    await page.fill('#token', `Bearer ${await creds.token({ staffId: 'OPS-7', role: 'ops' })}`);
    await page.click('#sign-in');
    await page.locator('#search-form').waitFor();
    assert.match(await page.locator('#who').innerText(), /OPS-7 · ops/);
  });

  test('search by account and open a complaint’s timeline with its steps', async () => {
    await page.fill('#f-accountNo', ACCOUNT);
    await page.click('#search-form button[type=submit]');
    const rows = page.locator('#results tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), complaints.length);
    await page.waitForFunction(
      () => document.querySelectorAll('#results tbody tr td:nth-child(7) .pill').length > 0,
      undefined,
      { timeout: 5000 },
    );
    await shot('02-search');
    await page.click(`#results tr[data-id="${complaints[0]}"]`);
    await page.locator('#steps').waitFor();
    const steps = await page
      .locator('#steps li.step')
      .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.step));
    for (const step of ['complaint.received', 'complaint.routed', 'complaint.resolved', 'complaint.closed'])
      assert.ok(steps.includes(step), `${step} is on the timeline: ${steps.join(', ')}`);
    assert.match(await page.locator('#complaint-status').innerText(), /Closed/);
    const text = await page.locator('#timeline').innerText();
    assert.match(text, /Reasons/, 'routing reasons are shown');
    assert.match(text, /classifier|staff:S-0101/, 'actors are shown');
    assert.match(text, /Trace [0-9a-f]{32}/, 'trace ids are shown');
    await shot('03-timeline');
  });

  test('a complaint id that does not exist says so', async () => {
    await page.goto(`${intakeUrl}/console/#/complaints/CMP-0000-0000-0000-0000`);
    await page.locator('[data-testid=error]').waitFor();
    assert.equal(await page.locator('[data-testid=error]').getAttribute('data-kind'), 'not-found');
  });

  test('work orders past and near their deadlines', async () => {
    await page.click('[data-nav=orders]');
    await page.locator('#orders-overdue').waitFor();
    const overdue = Number(await page.locator('#count-overdue .card-value').innerText());
    const near = Number(await page.locator('#count-near .card-value').innerText());
    assert.ok(overdue >= 3, `unaccepted orders are past their dispatch limit (${overdue})`);
    assert.equal(near, 1, 'the accepted, not yet contacted order is near its first-contact limit');
    assert.match(await page.locator('#orders-near').innerText(), new RegExp(complaints[1]));
    await shot('04-work-orders');
  });

  test('incidents: the outage complaints of one transformer area form one incident', async () => {
    await page.click('[data-nav=incidents]');
    await page.locator('#incidents table').waitFor();
    const text = await page.locator('#incidents').innerText();
    assert.match(text, new RegExp(OUTAGE_AREA));
    assert.match(text, /2 \(2 open\)/);
    await shot('05-incidents');
    await page.click(`#incidents a[href*="${OUTAGE_AREA}"]`);
    await page.locator('#incidents h3').waitFor();
    assert.match(await page.locator('#incidents').innerText(), new RegExp(complaints[3]));
  });

  test('KPIs: charts render and the figures are shown', async () => {
    await page.click('[data-nav=kpis]');
    await page.locator('#kpi-figures').waitFor();
    assert.equal(await page.locator('#kpi-routed .card-value').innerText(), String(complaints.length));
    assert.equal(await page.locator('#kpi-resolutions .card-value').innerText(), '1');
    assert.equal(await page.locator('[data-kpi=satisfactionRate] .card-value').innerText(), '100.0%');
    assert.equal(await page.locator('[data-kpi=callbackRate] .card-value').innerText(), '100.0%');
    for (const id of ['#chart-volume', '#chart-rates']) {
      const size = await page
        .locator(id)
        .evaluate((canvas) => [(canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height]);
      assert.ok(size[0] > 100 && size[1] > 100, `${id} is drawn (${size.join('×')})`);
    }
    const drawn = await page.evaluate(() => {
      const chart = (globalThis as any).Chart.getChart('chart-volume');
      return chart.data.datasets.reduce(
        (n: number, d: { data: number[] }) => n + d.data.reduce((a, b) => a + b, 0),
        0,
      );
    });
    assert.equal(drawn, complaints.length, 'every routed complaint is in the per-hour chart');
    await shot('06-kpis');
  });

  test('an expired or foreign token gets a clear 401 message; signing out returns to the sign-in form', async () => {
    await page.evaluate(() =>
      sessionStorage.setItem('complaints.console.token', 'e30.eyJzdWIiOiJ4Iiwicm9sZSI6Im9wcyJ9.x'),
    );
    await page.goto(`${intakeUrl}/console/#/complaints?accountNo=${ACCOUNT}`);
    await page.locator('[data-testid=error]').waitFor();
    assert.equal(await page.locator('[data-testid=error]').getAttribute('data-kind'), 'unauthenticated');
    assert.match(await page.locator('[data-testid=error]').innerText(), /sign in again/i);
    await shot('07-unauthorised');
    await page.click('#sign-out');
    await page.locator('#signin-form').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await shot('08-signed-out');
  });
});
