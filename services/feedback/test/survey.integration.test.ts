// The customer's self-service survey: a signed link answers once; altered, reused and expired links are refused clearly.
import './support/telemetry';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { TOPICS } from '@complaints/contracts';
import { EventCollector, startTestInfra, type TestInfra } from '@complaints/platform/testing';
import { startFeedback, type Harness } from './support/feedback-harness';
import { TestPublisher, newComplaintId, resolvedData } from './support/complaint-events';

let infra: TestInfra;
let h: Harness;
let collector: EventCollector;
let publisher: TestPublisher;

const DAY_MS = 86_400_000;

before(async () => {
  infra = await startTestInfra();
  h = await startFeedback(infra, { SURVEY_BASE_URL: 'https://feedback.example.cn/' });
  await h.service.runtime.kafkaReady();
  publisher = new TestPublisher(infra.kafkaBrokers);
  collector = new EventCollector(infra.kafkaBrokers, [TOPICS.closed, TOPICS.reopened]);
  await Promise.all([publisher.start(), collector.start()]);
});

after(async () => {
  await collector?.stop();
  await publisher?.stop();
  await h?.service.stop();
  await infra?.stop();
});

/** A resolution on a self-service channel; returns the task and the token of its survey link. */
async function resolvedOn(channel: string) {
  const complaintId = newComplaintId();
  await publisher.publish(TOPICS.resolved, [{ data: resolvedData(complaintId, { channel }) }]);
  const task = await h.waitForTask(`CB-${complaintId}-1`);
  const token = task.surveyLink ? String(task.surveyLink.url).split('/survey/')[1] : '';
  return { complaintId, task, token };
}

const answer = (token: string, body: object) => request(h.baseUrl).post(`/v1/survey/${token}`).send(body);

describe('survey links', () => {
  test('app, web and WeChat customers get a link valid for 7 days, readable by staff; hotline customers do not', async () => {
    for (const channel of ['app', 'web', 'wechat']) {
      const { task } = await resolvedOn(channel);
      assert.match(task.surveyLink.url, /^https:\/\/feedback\.example\.cn\/survey\/[\w-]+\.[\w-]+\.[\w-]+$/);
      const ttl = Date.parse(task.surveyLink.expiresAt) - Date.parse(task.createdAt);
      assert.ok(Math.abs(ttl - 7 * DAY_MS) < 1000, `expires 7 days after creation, got ${ttl} ms`);
    }
    for (const channel of ['hotline', 'sms', 'partner:city-12345']) {
      const { task } = await resolvedOn(channel);
      assert.equal(task.surveyLink, undefined, channel);
    }
  });

  test('the page renders a bilingual form without login, with strict no-cache, no-referrer headers', async () => {
    const { complaintId, token } = await resolvedOn('wechat');
    const page = await request(h.baseUrl).get(`/survey/${token}`);
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.match(page.text, /满意 · Satisfied/);
    assert.match(page.text, /不满意 · Dissatisfied/);
    assert.ok(page.text.includes(complaintId));
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers['content-security-policy'])?.[1];
    assert.ok(
      nonce && page.text.includes(`<script nonce="${nonce}">`),
      'the inline script carries the CSP nonce',
    );
    const status = await request(h.baseUrl).get(`/v1/survey/${token}`);
    assert.equal(status.status, 200);
    assert.equal(status.body.complaintId, complaintId);
    assert.equal(status.body.status, 'open');
  });

  test('a valid link answers once: the complaint is closed by the survey, and the link cannot be reused', async () => {
    const { complaintId, task, token } = await resolvedOn('app');
    const res = await answer(token, { outcome: 'basically_satisfied', rating: 4 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.outcome, 'basically_satisfied');
    assert.match(res.body.message, /Thank you/);

    const closed = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.closed && m.key === complaintId),
      20000,
      'the closed event',
    );
    const data = (closed.value as { data: Record<string, unknown> }).data;
    assert.equal(data.outcome, 'basically_satisfied');
    assert.equal(data.rating, 4);
    assert.equal(data.recordedBy, 'survey:app');
    const stored = await h.waitForTask(task.id);
    assert.equal(stored.outcome.recordedVia, 'survey');

    const reused = await answer(token, { outcome: 'basically_satisfied', rating: 4 });
    assert.equal(reused.status, 409);
    assert.equal(reused.type, 'application/problem+json');
    assert.match(reused.body.detail, /already been answered/);
    const otherAnswer = await answer(token, { outcome: 'dissatisfied', reason: 'second thoughts' });
    assert.equal(otherAnswer.status, 409);
    assert.equal((await request(h.baseUrl).get(`/survey/${token}`)).status, 409);
  });

  test('a dissatisfied survey answer reopens the complaint with the customer’s reason', async () => {
    const { complaintId, token } = await resolvedOn('web');
    const missing = await answer(token, { outcome: 'dissatisfied' });
    assert.equal(missing.status, 400);
    assert.ok(missing.body.errors.some((e: { field: string }) => e.field === '/reason'));
    const res = await answer(token, { outcome: 'dissatisfied', reason: '灯还是一闪一闪的' });
    assert.equal(res.status, 200);
    const reopened = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.reopened && m.key === complaintId),
      20000,
      'the reopened event',
    );
    const data = (reopened.value as { data: Record<string, unknown> }).data;
    assert.equal(data.reason, '灯还是一闪一闪的');
    assert.equal(data.grade, 'important');
    assert.equal(data.recordedBy, 'survey:web');
  });

  test('an altered link is refused with 403 and a clear message, and records nothing', async () => {
    const { task, token } = await resolvedOn('wechat');
    const [header, payload, signature] = token.split('.');
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    // Another task's id in the payload, keeping the original signature.
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        sub: `CB-${newComplaintId()}-1`,
      }),
    ).toString('base64url');
    for (const bad of [
      `${header}.${payload}.${flip(signature)}`,
      `${header}.${forgedPayload}.${signature}`,
      token.slice(0, -5),
      'not-a-token',
    ]) {
      const res = await answer(bad, { outcome: 'satisfied' });
      assert.equal(res.status, 403, bad);
      assert.equal(res.body.type, 'urn:problem:survey-link-invalid');
      assert.match(res.body.detail, /not valid: it was altered or is incomplete/);
      const page = await request(h.baseUrl).get(`/survey/${bad}`);
      assert.equal(page.status, 403);
      assert.match(page.text, /链接无效/);
    }
    assert.equal((await h.waitForTask(task.id)).status, 'pending');
  });

  test('an expired link is refused with 410 (the clock moved past 7 days)', async () => {
    const { task, token } = await resolvedOn('app');
    h.advance(7 * DAY_MS - 60_000);
    assert.equal(
      (await request(h.baseUrl).get(`/v1/survey/${token}`)).status,
      200,
      'still valid a minute before',
    );
    h.advance(2 * 60_000);
    const res = await answer(token, { outcome: 'satisfied' });
    assert.equal(res.status, 410);
    assert.equal(res.body.type, 'urn:problem:survey-link-expired');
    assert.match(res.body.detail, new RegExp(`expired on ${task.surveyLink.expiresAt.slice(0, 16)}`));
    assert.equal((await request(h.baseUrl).get(`/survey/${token}`)).status, 410);
    assert.equal((await h.waitForTask(task.id)).status, 'pending', 'an agent can still call the customer');
    const overdue = await request(h.baseUrl)
      .get('/v1/callbacks')
      .query({ overdue: 'true' })
      .set('Authorization', `Bearer ${h.creds.tokens.ops}`);
    assert.ok(
      overdue.body.items.some((t: { id: string; overdue: boolean }) => t.id === task.id && t.overdue),
    );
  });
});
