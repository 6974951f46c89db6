// Resolution end to end over HTTP and the Kafka protocol: routed complaints become work orders, staff resolve them, time limits warn and escalate once.
import './support/telemetry';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import {
  TOPIC_SPECS,
  TOPICS,
  cloudEventOf,
  validate,
  type ComplaintReopened,
  type ComplaintClosed,
} from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import {
  EventCollector,
  startTestInfra,
  uniqueName,
  type ReceivedMessage,
  type TestCredentials,
  type TestInfra,
} from '@complaints/platform/testing';
import {
  EventPublisher,
  eventually,
  makeTestCredentials,
  ManualClock,
  newComplaintId,
  routedEvent,
  startResolution,
  type Harness,
} from './support/resolution-harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let infra: TestInfra;
let creds: TestCredentials;
let h: Harness;
let collector: EventCollector;
let publisher: EventPublisher;
const database = uniqueName('resolution');
const clock = new ManualClock(new Date());
const tokens: Record<string, string> = {};

const bearer = (who: keyof typeof tokens) => `Bearer ${tokens[who]}`;
const api = () => request(h.baseUrl);
const getOrder = (id: string, who = 'supervisor') =>
  api().get(`/v1/work-orders/${id}`).set('Authorization', bearer(who));
const post = (path: string, body: object = {}, who = 'field') =>
  api().post(path).set('Authorization', bearer(who)).send(body);

/** Publishes a routed event and waits until its order exists. */
async function routeComplaint(
  overrides: Parameters<typeof routedEvent>[2] = {},
  complaintId = newComplaintId(),
) {
  await publisher.publish(routedEvent(complaintId, clock.now(), overrides));
  const order = await eventually(
    async () => {
      const res = await getOrder(complaintId);
      return res.status === 200 ? res.body : undefined;
    },
    `work order of ${complaintId}`,
    40000,
  );
  return order as { id: string; complaintId: string; [k: string]: any };
}

/**
 * The distinct events (by CloudEvents id) on a topic for a complaint. Delivery is at-least-once: the outbox
 * relay may publish an event twice, and consumers dedupe on the id, so "exactly once" is counted that way.
 */
const eventsFor = (topic: string, complaintId: string) => {
  const byId = new Map<string, ReceivedMessage>();
  for (const m of collector.messages)
    if (m.topic === topic && m.key === complaintId) byId.set((m.value as { id: string }).id, m);
  return [...byId.values()];
};

function assertValidEvent(message: ReceivedMessage) {
  const topic = message.topic as keyof typeof TOPIC_SPECS;
  const check = validate(cloudEventOf(topic, TOPIC_SPECS[topic].schema), message.value);
  assert.deepEqual(check.ok ? [] : check.errors, [], `${topic} is a valid CloudEvent`);
}

before(async () => {
  infra = await startTestInfra();
  creds = await makeTestCredentials();
  tokens.field = await creds.token({ staffId: 'F-1021', role: 'field_staff', team: 'field_operations' });
  tokens.otherField = await creds.token({ staffId: 'S-0077', role: 'field_staff', team: 'service_quality' });
  tokens.manager = await creds.token({ staffId: 'M-0003', role: 'manager', team: 'field_operations' });
  tokens.supervisor = await creds.token({ staffId: 'SUP-01', role: 'supervisor' });
  tokens.ops = await creds.token({ staffId: 'OPS-01', role: 'ops' });
  h = await startResolution(infra, { database, creds, clock });
  await h.service.runtime.kafkaReady();
  publisher = new EventPublisher(infra.kafkaBrokers);
  await publisher.connect();
  collector = new EventCollector(infra.kafkaBrokers, [
    TOPICS.resolved,
    TOPICS.slaWarning,
    TOPICS.slaBreached,
    `${TOPICS.routed}.dlq`,
  ]);
  await collector.start();
});

after(async () => {
  await publisher?.disconnect();
  await collector?.stop();
  await h?.service.stop();
  await infra?.stop();
});

describe('work orders from routing', () => {
  test('a routed event becomes one assigned order with team, manager and deadlines, even when delivered twice', async () => {
    const complaintId = newComplaintId();
    const event = routedEvent(complaintId, clock.now());
    await publisher.publish(event, event);
    // A later revision on the same key is consumed after both copies: when it shows, the copies were handled.
    const revision2 = routedEvent(complaintId, clock.now(), {
      revision: 2,
      grade: 'important',
      deadlines: {
        ...event.data.deadlines,
        resolveBy: new Date(clock.now().getTime() + 48 * HOUR).toISOString(),
      },
    });
    const stale = routedEvent(complaintId, clock.now(), {
      revision: 1,
      grade: 'general',
      id: `${complaintId}/routed/late`,
    });
    await publisher.publish(revision2, stale, event);
    await eventually(async () => (await getOrder(complaintId)).body.revision === 2, 'revision 2');
    await new Promise((r) => setTimeout(r, 500));

    const res = await getOrder(`WO-${complaintId}`);
    assert.equal(res.status, 200);
    const order = res.body;
    assert.equal(order.id, `WO-${complaintId}`);
    assert.equal(order.status, 'assigned');
    assert.equal(order.team, 'field_operations');
    assert.deepEqual(order.accountManager, { role: 'transformer_area_manager', managerId: 'TAM-0412' });
    assert.equal(
      order.grade,
      'important',
      'revision 2 raised the grade; the late revision 1 did not undo it',
    );
    assert.equal(order.sla.resolve.deadline, revision2.data.deadlines.resolveBy);
    assert.equal(order.sla.dispatch.deadline, event.data.deadlines.dispatchBy);
    assert.deepEqual(
      order.history.map((e: { action: string }) => e.action),
      ['create', 'assign', 'reclassify'],
      'one creation, one reclassification: duplicates and the stale revision changed nothing',
    );
    assert.equal(await h.service.workOrders.repository.model.countDocuments({ complaintId }).exec(), 1);
  });
});

describe('staff resolve a work order', () => {
  test('resolving an unaccepted order is a 409 that says what to do first', async () => {
    const order = await routeComplaint();
    const res = await post(`/v1/work-orders/${order.id}/resolve`, {
      assetOwner: 'utility',
      workDone: 'Replaced the fuse.',
      resolutionCode: 'fuse_replaced',
    });
    assert.equal(res.status, 409);
    assert.equal(res.type, 'application/problem+json');
    assert.match(res.body.detail, /Cannot resolve a work order that is assigned.*accept the order/);
    assert.equal((await getOrder(order.id)).body.status, 'assigned');
  });

  test('accept, contact, on site, resolve → complaints.resolved.v1 with the charge decision, once even if retried', async () => {
    const order = await routeComplaint();
    const path = (a: string) => `/v1/work-orders/${order.id}/${a}`;
    assert.equal((await post(path('accept'))).body.status, 'accepted');
    assert.equal(
      (await post(path('contact'), { method: 'phone', note: 'Visit agreed for 15:00' })).body.status,
      'contacted',
    );
    clock.advance(30 * MINUTE);
    assert.equal((await post(path('on-site'))).body.status, 'on_site');
    const resolution = {
      assetOwner: 'customer',
      workDone: 'Replaced the burnt meter-box breaker owned by the customer.',
      resolutionCode: 'customer_breaker_replaced',
    };
    const resolved = await post(path('resolve'), resolution);
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    assert.equal(resolved.body.status, 'resolved');
    assert.deepEqual(resolved.body.resolution.charge, {
      decision: 'paid',
      reason: 'customer-owned asset: paid service',
    });
    const retry = await post(path('resolve'), resolution);
    assert.equal(retry.status, 200, 'a retried resolve answers with the order');

    const message = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.resolved && m.key === order.complaintId),
      20000,
      'the resolved event',
    );
    assertValidEvent(message);
    const event = message.value as any;
    assert.equal(event.id, `${order.id}/resolved/1`);
    assert.equal(event.subject, order.complaintId);
    assert.equal(event.data.workOrderId, order.id);
    assert.equal(event.data.assetOwner, 'customer');
    assert.deepEqual(event.data.charge, { decision: 'paid', reason: 'customer-owned asset: paid service' });
    assert.deepEqual(event.data.resolvedBy, { staffId: 'F-1021', team: 'field_operations' });
    assert.equal(event.data.onTime, true);
    assert.equal(event.data.terminated, false);
    assert.match(message.headers.traceparent ?? '', /^00-[0-9a-f]{32}-/);

    const history = (await getOrder(order.id)).body.history;
    assert.deepEqual(
      history.map((e: any) => [e.action, e.to, e.by]),
      [
        ['create', 'created', 'routing'],
        ['assign', 'assigned', 'routing'],
        ['accept', 'accepted', 'F-1021'],
        ['contact', 'contacted', 'F-1021'],
        ['arrive', 'on_site', 'F-1021'],
        ['resolve', 'resolved', 'F-1021'],
      ],
    );
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(
      eventsFor(TOPICS.resolved, order.complaintId).length,
      1,
      'one resolved event for one resolution',
    );
  });

  test("a vulnerable customer's own equipment is repaired free", async () => {
    const order = await routeComplaint({ vulnerable: true });
    for (const [action, body] of [
      ['accept', {}],
      ['contact', { method: 'visit' }],
      [
        'resolve',
        { assetOwner: 'customer', workDone: 'Rewired the kitchen circuit.', resolutionCode: 'rewired' },
      ],
    ] as const) {
      const res = await post(`/v1/work-orders/${order.id}/${action}`, body);
      assert.equal(res.status, 200, `${action}: ${JSON.stringify(res.body)}`);
    }
    const message = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.resolved && m.key === order.complaintId),
      20000,
      'the resolved event',
    );
    assert.deepEqual((message.value as any).data.charge, {
      decision: 'free',
      reason: 'customer-owned asset, vulnerable customer: served free',
    });
  });

  test('a supervisor terminates a case whose demands exceed regulations; resolved carries terminated: true', async () => {
    const order = await routeComplaint({ team: 'service_quality' });
    const field = await post(`/v1/work-orders/${order.id}/terminate`, {
      reason: 'Demands compensation beyond the rules',
    });
    assert.equal(field.status, 403);
    const res = await post(
      `/v1/work-orders/${order.id}/terminate`,
      { reason: 'Demands a dedicated transformer for one household (beyond regulations)' },
      'supervisor',
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'terminated');
    const message = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.resolved && m.key === order.complaintId),
      20000,
      'the terminated event',
    );
    assertValidEvent(message);
    assert.equal((message.value as any).data.terminated, true);
    assert.equal((message.value as any).data.charge.decision, 'free');
  });
});

describe('feedback comes back', () => {
  test('complaints.reopened.v1 reopens the order with the raised grade and a fresh deadline; closed closes another', async () => {
    const order = await routeComplaint();
    for (const [action, body] of [
      ['accept', {}],
      ['contact', { method: 'phone' }],
      [
        'resolve',
        {
          assetOwner: 'utility',
          workDone: 'Tap raised one step.',
          resolutionCode: 'transformer_tap_adjusted',
        },
      ],
    ] as const)
      assert.equal((await post(`/v1/work-orders/${order.id}/${action}`, body)).status, 200);
    clock.advance(6 * HOUR);
    const reopenedAt = clock.now();
    const reopened: ComplaintReopened = {
      complaintId: order.complaintId,
      callbackId: `CB-${order.complaintId}-1`,
      reason: 'Voltage dropped again the same evening.',
      previousGrade: 'general',
      grade: 'important',
      reopenCount: 1,
      supervision: false,
      recordedBy: 'A-0031',
      reopenedAt: reopenedAt.toISOString(),
    };
    const event = createEvent({
      topic: TOPICS.reopened,
      subject: order.complaintId,
      source: '/services/feedback',
      id: `${order.complaintId}/reopened/1`,
      data: reopened,
      time: reopenedAt,
    });
    await publisher.publish(event, event);
    const after = await eventually(async () => {
      const res = await getOrder(order.id);
      return res.body.status === 'reopened' ? res.body : undefined;
    }, 'the reopened order');
    assert.equal(after.grade, 'important');
    assert.equal(after.attempt, 2);
    assert.equal(after.resolution, null);
    assert.equal(after.sla.resolve.startedAt, reopenedAt.toISOString());
    assert.equal(after.sla.resolve.deadline, new Date(reopenedAt.getTime() + 96 * HOUR).toISOString());
    assert.equal(after.sla.first_contact.doneAt, null, 'the customer must be contacted again');
    assert.equal(
      after.history.filter((e: any) => e.action === 'reopen').length,
      1,
      'the duplicate changed nothing',
    );
    assert.equal(
      (await post(`/v1/work-orders/${order.id}/accept`)).body.status,
      'accepted',
      'accepted again',
    );

    const other = await routeComplaint();
    for (const [action, body] of [
      ['accept', {}],
      ['contact', { method: 'phone' }],
      ['resolve', { assetOwner: 'utility', workDone: 'Fixed.', resolutionCode: 'fixed' }],
    ] as const)
      assert.equal((await post(`/v1/work-orders/${other.id}/${action}`, body)).status, 200);
    const closed: ComplaintClosed = {
      complaintId: other.complaintId,
      callbackId: `CB-${other.complaintId}-1`,
      outcome: 'satisfied',
      rating: 5,
      recordedBy: 'A-0031',
      closedAt: clock.now().toISOString(),
    };
    await publisher.publish(
      createEvent({
        topic: TOPICS.closed,
        subject: other.complaintId,
        source: '/services/feedback',
        data: closed,
      }),
    );
    await eventually(async () => (await getOrder(other.id)).body.status === 'closed', 'the closed order');
  });
});

describe('time limits', () => {
  test('warning and breach are each emitted once, escalate to the supervisor, and stay once across a restart and two instances', async () => {
    const order = await routeComplaint();
    const start = clock.now();
    const count = (topic: string, limit: string) =>
      eventsFor(topic, order.complaintId).filter((m) => (m.value as any).data.limit === limit).length;

    await h.service.scheduler.tick();
    clock.set(new Date(start.getTime() + 14 * MINUTE));
    await h.service.scheduler.tick();
    assert.equal((await getOrder(order.id)).body.sla.dispatch.warnedAt, null, 'not yet 75% of 20 minutes');

    clock.set(new Date(start.getTime() + 16 * MINUTE));
    await Promise.all([h.service.scheduler.tick(), h.service.scheduler.tick()]);
    const warning = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.slaWarning && m.key === order.complaintId),
      20000,
      'the dispatch warning',
    );
    assertValidEvent(warning);
    assert.equal((warning.value as any).data.limit, 'dispatch');
    assert.equal((warning.value as any).data.elapsedRatio, 0.8);

    clock.set(new Date(start.getTime() + 21 * MINUTE));
    await h.service.scheduler.tick();
    const breach = await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.slaBreached && m.key === order.complaintId),
      20000,
      'the dispatch breach',
    );
    assertValidEvent(breach);
    assert.equal((breach.value as any).data.escalatedTo, 'supervisor');
    let view = (await getOrder(order.id)).body;
    assert.equal(view.supervision, true);
    assert.equal(view.overdue, true);
    assert.deepEqual(
      view.escalations.map((e: any) => [e.limit, e.to]),
      [['dispatch', 'supervisor']],
    );
    const overdue = await api()
      .get('/v1/work-orders?overdue=true&limit=200')
      .set('Authorization', bearer('ops'));
    assert.ok(overdue.body.items.some((o: any) => o.id === order.id));

    // Restart on the same database, then run a second instance beside it: nothing is emitted again.
    await h.service.stop();
    h = await startResolution(infra, { database, creds, clock });
    // Its own consumer group, so it replays every event (idempotently) without rebalancing the first one's group.
    const second = await startResolution(infra, {
      database,
      creds,
      clock,
      env: { KAFKA_GROUP_PREFIX: 'second-' },
    });
    try {
      await Promise.all([h.service.scheduler.tick(), second.service.scheduler.tick()]);
      clock.set(new Date(start.getTime() + 19 * HOUR));
      const results = await Promise.all([h.service.scheduler.tick(), second.service.scheduler.tick()]);
      assert.ok(results.every((r) => r.warnings >= 0));
      await collector.waitFor(
        () => count(TOPICS.slaWarning, 'first_contact') >= 1,
        20000,
        'the first-contact warning',
      );
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(count(TOPICS.slaWarning, 'dispatch'), 1);
      assert.equal(count(TOPICS.slaBreached, 'dispatch'), 1);
      assert.equal(
        count(TOPICS.slaWarning, 'first_contact'),
        1,
        'two instances ticking together emit one warning',
      );
      view = (await getOrder(order.id)).body;
      assert.equal(
        view.history.filter((e: any) => e.action === 'sla_warning').length,
        2,
        'dispatch, first contact',
      );
      assert.equal(view.history.filter((e: any) => e.action === 'sla_breach').length, 1);
    } finally {
      await second.service.stop();
    }
  });

  test('limits that fall due together are all signalled in one tick', async () => {
    const order = await routeComplaint();
    const start = clock.now();
    // A day later with nothing done: dispatch and first contact are both missed.
    clock.set(new Date(start.getTime() + 25 * HOUR));
    await h.service.scheduler.tick();
    const view = (await getOrder(order.id)).body;
    assert.deepEqual(
      view.history
        .filter((e: any) => e.action === 'sla_warning' || e.action === 'sla_breach')
        .map((e: any) => `${e.action} ${e.details.limit}`)
        .sort(),
      [
        'sla_breach dispatch',
        'sla_breach first_contact',
        'sla_warning dispatch',
        'sla_warning first_contact',
      ],
    );
  });

  test('orders stored before they carried their next check get it on the first tick, and their warnings still come', async () => {
    const order = await routeComplaint();
    const start = clock.now();
    // The current instance's model: the test restarts the service.
    const model = () => h.service.workOrders.repository.model;
    const stored = async () => (await model().findById(order.id).lean().exec())?.slaCheckAt;
    assert.equal((await stored())?.toISOString(), new Date(start.getTime() + 15 * MINUTE).toISOString());
    // As an order written by the previous version looks: no slaCheckAt at all.
    await model().collection.updateOne({ _id: order.id } as never, { $unset: { slaCheckAt: 1 } });
    await h.service.stop();
    h = await startResolution(infra, { database, creds, clock });
    clock.set(new Date(start.getTime() + 16 * MINUTE));
    await h.service.scheduler.tick();
    await collector.waitFor(
      (ms) => ms.find((m) => m.topic === TOPICS.slaWarning && m.key === order.complaintId),
      20000,
      'the dispatch warning of the backfilled order',
    );
    // Warned: the next thing due is the dispatch deadline.
    assert.equal((await stored())?.toISOString(), new Date(start.getTime() + 20 * MINUTE).toISOString());
  });

  test('accepting in time stops the dispatch clock; pausing stops all, and the paused time extends the open deadlines', async () => {
    const order = await routeComplaint();
    const start = clock.now();
    const warnings = (limit: string) =>
      eventsFor(TOPICS.slaWarning, order.complaintId).filter((m) => (m.value as any).data.limit === limit);
    await post(`/v1/work-orders/${order.id}/accept`);
    clock.set(new Date(start.getTime() + 2 * HOUR));
    const paused = await post(`/v1/work-orders/${order.id}/pause`, {
      reason: 'Customer abroad until tomorrow',
    });
    assert.equal(paused.status, 200);
    assert.equal(paused.body.pausedSince, clock.now().toISOString());

    clock.set(new Date(start.getTime() + 30 * HOUR));
    await h.service.scheduler.tick();
    assert.equal((await getOrder(order.id)).body.overdue, false, 'a paused order is not overdue');

    const resumed = await post(`/v1/work-orders/${order.id}/resume`);
    assert.equal(resumed.status, 200);
    const pausedMs = 28 * HOUR;
    assert.equal(
      resumed.body.sla.first_contact.deadline,
      new Date(start.getTime() + 24 * HOUR + pausedMs).toISOString(),
    );
    assert.equal(
      resumed.body.sla.resolve.deadline,
      new Date(start.getTime() + 96 * HOUR + pausedMs).toISOString(),
    );
    assert.equal(resumed.body.sla.dispatch.doneAt !== null, true);
    assert.equal(resumed.body.sla.dispatch.pausedMs, 0, 'a finished limit is not extended');

    // 75% of 24 h is 18 h of running time: 2 h before the pause, 16 h after it.
    clock.set(new Date(start.getTime() + 30 * HOUR + 15 * HOUR));
    await h.service.scheduler.tick();
    clock.set(new Date(start.getTime() + 30 * HOUR + 16 * HOUR + MINUTE));
    await h.service.scheduler.tick();
    await collector.waitFor(() => warnings('first_contact').length === 1, 20000, 'the first-contact warning');
    const data = (warnings('first_contact')[0].value as any).data;
    assert.ok(Math.abs(data.elapsedRatio - 0.751) < 0.002, String(data.elapsedRatio));
    assert.equal(warnings('dispatch').length, 0, 'accepted in time: no dispatch warning');
    const history = (await getOrder(order.id)).body.history.map((e: any) => e.action);
    assert.deepEqual(history.slice(-4), ['accept', 'pause', 'resume', 'sla_warning']);
  });
});

describe('mass-outage incidents', () => {
  test('50 interruption complaints from one transformer area make one incident; resolving it resolves all 50', async () => {
    const area = `TA-${Date.now() % 100000}`;
    const ids = Array.from({ length: 50 }, () => newComplaintId());
    await publisher.publish(
      ...ids.map((id, i) =>
        routedEvent(id, new Date(clock.now().getTime() + i * MINUTE), {
          subtype: 'interruption',
          location: { transformerArea: area, areaType: 'urban' },
          areaType: 'urban',
        }),
      ),
    );
    const incidentIds = await eventually(
      async () => {
        const res = await api()
          .get('/v1/work-orders?limit=200&status=assigned')
          .set('Authorization', bearer('ops'));
        const mine = res.body.items.filter((o: any) => ids.includes(o.complaintId));
        return mine.length === 50 ? new Set(mine.map((o: any) => o.incidentId)) : undefined;
      },
      '50 work orders',
      60000,
    );
    assert.equal(incidentIds.size, 1, 'all linked to one incident');
    const [incidentId] = [...incidentIds] as string[];
    assert.match(incidentId, new RegExp(`^INC-${area}-\\d{12}$`));

    const incident = await api().get(`/v1/incidents/${incidentId}`).set('Authorization', bearer('ops'));
    assert.equal(incident.status, 200);
    assert.equal(incident.body.complaintCount, 50);
    assert.equal(incident.body.status, 'open');

    // The list shows it with its counts, not its orders; filters are checked like any other input.
    const listed = await api()
      .get(`/v1/incidents?status=open&transformerArea=${area}`)
      .set('Authorization', bearer('manager'));
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.total, 1);
    assert.deepEqual(
      [listed.body.items[0].id, listed.body.items[0].complaintCount, listed.body.items[0].openCount],
      [incidentId, 50, 50],
    );
    assert.equal(listed.body.items[0].workOrders, undefined);
    const none = await api()
      .get(`/v1/incidents?status=resolved&transformerArea=${area}`)
      .set('Authorization', bearer('ops'));
    assert.equal(none.body.total, 0);
    const badFilter = await api().get('/v1/incidents?status=closed').set('Authorization', bearer('ops'));
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.body.errors[0].field, 'query/status');
    assert.equal((await api().get('/v1/incidents')).status, 401);

    const other = await post(
      `/v1/incidents/${incidentId}/resolve`,
      { assetOwner: 'utility', workDone: 'x', resolutionCode: 'x' },
      'otherField',
    );
    assert.equal(other.status, 403, 'field staff of another team');
    const resolved = await post(`/v1/incidents/${incidentId}/resolve`, {
      assetOwner: 'utility',
      workDone: 'Replaced the failed 10 kV drop-out fuse on the area transformer; supply restored.',
      resolutionCode: 'dropout_fuse_replaced',
    });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    assert.equal(resolved.body.status, 'resolved');
    assert.equal(resolved.body.openCount, 0);

    const events = await collector.waitFor(
      () => {
        const mine = ids.flatMap((id) => eventsFor(TOPICS.resolved, id));
        return mine.length >= 50 ? mine : undefined;
      },
      30000,
      '50 resolved events',
    );
    assert.equal(events.length, 50, 'one per complaint');
    assert.equal(new Set(events.map((m) => m.key)).size, 50);
    for (const m of events) {
      assert.equal((m.value as any).data.incidentId, incidentId);
      assert.equal((m.value as any).data.charge.decision, 'free');
    }
    assertValidEvent(events[0]);

    // A new interruption in the same area after the fix is a new outage, not the resolved incident.
    const late = await routeComplaint({
      subtype: 'interruption',
      location: { transformerArea: area, areaType: 'urban' },
    });
    assert.ok(late.incidentId && late.incidentId !== incidentId, String(late.incidentId));
  });

  test('a supervisor links and unlinks an order by hand; the incident lists its complaints', async () => {
    const area = `TB-${Date.now() % 100000}`;
    const first = await routeComplaint({ subtype: 'interruption', location: { transformerArea: area } });
    const stray = await routeComplaint({ subtype: 'voltage_low' });
    assert.equal(stray.incidentId, null);
    const path = `/v1/incidents/${first.incidentId}`;
    assert.equal((await post(`${path}/link`, { workOrderId: stray.id }, 'manager')).status, 403);
    const linked = await post(
      `${path}/link`,
      { workOrderId: stray.id, reason: 'Same feeder, reported as low voltage' },
      'supervisor',
    );
    assert.equal(linked.status, 200, JSON.stringify(linked.body));
    assert.deepEqual(linked.body.workOrders.map((o: any) => o.id).sort(), [first.id, stray.id].sort());
    const unlinked = await post(
      `${path}/unlink`,
      { workOrderId: stray.id, reason: 'Different feeder after all' },
      'supervisor',
    );
    assert.deepEqual(
      unlinked.body.workOrders.map((o: any) => o.id),
      [first.id],
    );
    assert.equal((await getOrder(stray.id)).body.incidentId, null);
  });
});

describe('access and input', () => {
  test('no token is 401; field staff of another team get 403; ops read but may not act; managers reassign', async () => {
    const order = await routeComplaint();
    assert.equal((await api().get(`/v1/work-orders/${order.id}`)).status, 401);
    assert.equal((await api().post(`/v1/work-orders/${order.id}/accept`).send({})).status, 401);
    const foreign = await post(`/v1/work-orders/${order.id}/accept`, {}, 'otherField');
    assert.equal(foreign.status, 403);
    assert.match(foreign.body.detail, /team field_operations/);
    assert.equal((await getOrder(order.id, 'otherField')).status, 403);
    assert.equal((await getOrder(order.id, 'ops')).status, 200);
    assert.equal((await post(`/v1/work-orders/${order.id}/accept`, {}, 'ops')).status, 403);
    assert.equal(
      (await post(`/v1/work-orders/${order.id}/reassign`, { assigneeId: 'F-2000', reason: 'closer crew' }))
        .status,
      403,
    );
    const reassigned = await post(
      `/v1/work-orders/${order.id}/reassign`,
      { assigneeId: 'F-2000', reason: 'closer crew' },
      'manager',
    );
    assert.equal(reassigned.status, 200);
    assert.equal(reassigned.body.assigneeId, 'F-2000');
    assert.notEqual(
      reassigned.body.sla.dispatch.doneAt,
      null,
      'assignment to a person ends the dispatch limit',
    );

    const list = await api().get('/v1/work-orders?limit=5').set('Authorization', bearer('otherField'));
    assert.equal(list.status, 200);
    assert.ok(
      list.body.items.every((o: any) => o.team === 'service_quality'),
      'field staff see their team only',
    );
    assert.equal(
      (await api().get('/v1/work-orders?team=field_operations').set('Authorization', bearer('otherField')))
        .status,
      403,
    );
  });

  test('bad input is a 400 problem naming the field', async () => {
    const order = await routeComplaint();
    await post(`/v1/work-orders/${order.id}/accept`);
    await post(`/v1/work-orders/${order.id}/contact`, { method: 'phone' });
    const cases: Array<[string, object, string]> = [
      ['resolve', { assetOwner: 'landlord', workDone: 'x', resolutionCode: 'x' }, '/assetOwner'],
      ['resolve', { assetOwner: 'utility', resolutionCode: 'x' }, '/workDone'],
      ['resolve', { assetOwner: 'utility', workDone: 'x', resolutionCode: 'x', price: 3 }, '/price'],
      ['contact', { method: 'pigeon' }, '/method'],
      ['pause', {}, '/reason'],
    ];
    for (const [action, body, field] of cases) {
      const res = await post(`/v1/work-orders/${order.id}/${action}`, body);
      assert.equal(res.status, 400, `${action} ${JSON.stringify(body)}`);
      assert.equal(res.type, 'application/problem+json');
      assert.ok(
        res.body.errors.some((e: any) => e.field === field),
        JSON.stringify(res.body.errors),
      );
    }
    const query = await api().get('/v1/work-orders?status=sleeping').set('Authorization', bearer('ops'));
    assert.equal(query.status, 400);
    assert.ok(
      query.body.errors.some((e: any) => e.field === 'query/status'),
      JSON.stringify(query.body.errors),
    );
    const page = await api().get('/v1/work-orders?limit=1000').set('Authorization', bearer('ops'));
    assert.equal(page.status, 400);
    assert.equal((await getOrder('WO-nope')).status, 404);
    assert.equal((await getOrder(order.id)).body.status, 'contacted', 'nothing changed');
  });

  test('the OpenAPI document lists the resolution endpoints', async () => {
    const doc = await api().get('/openapi.json');
    assert.equal(doc.status, 200);
    assert.ok(doc.body.paths['/v1/work-orders/{id}/resolve'].post.requestBody);
    assert.ok(doc.body.paths['/v1/incidents/{id}/resolve'].post);
  });
});
