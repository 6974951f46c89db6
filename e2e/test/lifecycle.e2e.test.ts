// The whole loop with every service and the broker/database as separate processes: the dev complaints go from
// intake to closure over HTTP; nothing is lost or applied twice, also when a service is SIGKILLed mid-stream.
import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { after, describe, test } from 'node:test';
import { ComplaintDriver, inParallel, type DevComplaint } from '../src/complaint-driver';
import { devComplaints } from '../src/dev-set';
import {
  PlatformProcesses,
  PROJECTION_NICE,
  type Deployment,
  type ProcessName,
  type ServiceName,
} from '../src/platform-processes';

const REOPEN_EVERY = 10;
const started: PlatformProcesses[] = [];

after(async () => {
  await Promise.all(started.map((p) => p.stop()));
});

async function platform(
  basePort: number,
  logs: Map<string, string[]>,
  deployment: Deployment = 'single',
): Promise<PlatformProcesses> {
  const processes = new PlatformProcesses({ basePort, logs, deployment });
  started.push(processes);
  await processes.start();
  console.log(`# integration backend: local stand-ins, each service a separate process (${deployment})`);
  return processes;
}

/** Events this process's consumers handled, from its metrics. */
async function eventsHandled(processes: PlatformProcesses, name: ProcessName): Promise<number> {
  const response = await fetch(`${processes.urls[name]}/metrics`, {
    headers: { authorization: `Bearer ${processes.creds.tokens.ops}` },
  });
  assert.equal(response.status, 200, `${name} /metrics`);
  let handled = 0;
  for (const line of (await response.text()).split('\n'))
    if (line.startsWith('events_consumed_total{') && line.includes('outcome="handled"'))
      handled += Number(line.split(' ').pop());
  return handled;
}

interface Outcome {
  id: string;
  reopened: boolean;
}

/** Checks the final state of every complaint through the public APIs. */
async function assertFinalState(driver: ComplaintDriver, outcomes: Outcome[]): Promise<void> {
  for (const { id, reopened } of outcomes) {
    const status = await driver.eventually(`closure of ${id}`, async () => {
      const s = await driver.status(id);
      if (s !== 'closed') throw Object.assign(new TypeError(`still ${s}`));
      return s;
    });
    assert.equal(status, 'closed', id);
    const steps = await driver.eventually(`timeline of ${id}`, async () => {
      const t = await driver.timeline(id);
      const want = reopened ? 2 : 1;
      // Steps travel on several topics (some published by a relay sweep): wait until each has arrived.
      const atLeast = {
        'complaint.resolved': want,
        'work_order.resolve': want,
        'callback.opened': want,
        'complaint.closed': 1,
      };
      if (Object.entries(atLeast).some(([step, n]) => t.filter((s) => s.step === step).length < n)) {
        throw new TypeError('timeline not complete yet');
      }
      return t;
    });
    const count = (step: string) => steps.filter((s) => s.step === step).length;
    // Each event is applied exactly once: no step is missing, none appears twice.
    assert.equal(count('complaint.received'), 1, `${id} received`);
    assert.equal(count('complaint.routed'), 1, `${id} routed`);
    assert.equal(count('complaint.resolved'), reopened ? 2 : 1, `${id} resolved`);
    assert.equal(count('complaint.reopened'), reopened ? 1 : 0, `${id} reopened`);
    assert.equal(count('complaint.closed'), 1, `${id} closed`);
    // Work-order steps from resolution arrive on their own topic and land in the same timeline.
    assert.equal(count('work_order.create'), 1, `${id} work order created`);
    assert.equal(count('work_order.accept'), reopened ? 2 : 1, `${id} accepted`);
    assert.equal(count('work_order.resolve'), reopened ? 2 : 1, `${id} work order resolved`);
    assert.equal(count('callback.opened'), reopened ? 2 : 1, `${id} callbacks opened`);
    assert.deepEqual(
      steps.map((s) => s.step).filter((s) => s.startsWith('complaint.')),
      [
        'complaint.received',
        'complaint.routed',
        'complaint.resolved',
        ...(reopened ? ['complaint.reopened', 'complaint.resolved'] : []),
        'complaint.closed',
      ],
      `${id} lifecycle order`,
    );
  }
}

async function assertNothingAppliedTwice(
  driver: ComplaintDriver,
  processes: PlatformProcesses,
  outcomes: Outcome[],
) {
  const reopened = outcomes.filter((o) => o.reopened).length;
  const kpis = await driver.call<{
    resolutions: { total: number; callbacks: Record<string, number> };
    complaints: { routed: number };
  }>('feedback', 'GET', '/v1/kpis?from=2000-01-01&to=2100-01-01', {
    authorization: `Bearer ${processes.creds.tokens.ops}`,
  });
  // One resolved event per attempt reached feedback, each made exactly one callback, each finished once.
  assert.equal(kpis.resolutions.total, outcomes.length + reopened);
  assert.equal(kpis.resolutions.callbacks.pending, 0);
  assert.equal(kpis.resolutions.callbacks.satisfied, outcomes.length);
  assert.equal(kpis.resolutions.callbacks.dissatisfied, reopened);
  assert.equal(kpis.complaints.routed, outcomes.length);
}

async function run(
  processes: PlatformProcesses,
  complaints: DevComplaint[],
  during?: (done: number) => Promise<void>,
): Promise<Outcome[]> {
  const driver = new ComplaintDriver(processes.urls, processes.creds);
  const outcomes: Outcome[] = [];
  let done = 0;
  await inParallel(complaints, 8, async (complaint, i) => {
    const id = await driver.eventually(`submit ${complaint.id}`, () =>
      driver.submit(complaint, `88${String(i).padStart(8, '0')}`),
    );
    const reopened = i % REOPEN_EVERY === 0;
    outcomes.push({ id, reopened });
    await driver.toClosure(id, reopened);
    done++;
    await during?.(done);
  });
  await assertFinalState(driver, outcomes);
  await assertNothingAppliedTwice(driver, processes, outcomes);
  return outcomes;
}

/** Runs 60 complaints to closure; once 15 are closed, `victim` is SIGKILLed and started again 1.5 s later. */
async function runKillingMidStream(processes: PlatformProcesses, victim: ProcessName): Promise<Outcome[]> {
  const pidBefore = processes.pids[victim];
  let killed = false;
  const outcomes = await run(processes, devComplaints().slice(0, 60), async (done) => {
    if (done === 15 && !killed) {
      killed = true;
      await processes.kill(victim);
      // Work continues against the other processes while it is down, then it comes back.
      await new Promise((r) => setTimeout(r, 1500));
      await processes.startService(victim);
    }
  });
  assert.ok(killed, `${victim} was killed during the run`);
  assert.notEqual(processes.pids[victim], pidBefore, `a new ${victim} process took over`);
  return outcomes;
}

describe('every service a process', () => {
  test('all 150 development complaints go from intake to closure (every tenth reopened once); each step exactly once', async () => {
    const logs = new Map<string, string[]>();
    const processes = await platform(4100, logs);
    const outcomes = await run(processes, devComplaints());
    assert.equal(outcomes.length, 150);
    assert.equal(outcomes.filter((o) => o.reopened).length, 15);
  });

  for (const victim of ['resolution', 'routing'] as ServiceName[]) {
    test(`${victim} is SIGKILLed mid-stream and restarted: the final state is the same`, async () => {
      const logs = new Map<string, string[]>();
      const processes = await platform(victim === 'resolution' ? 4200 : 4300, logs);
      const outcomes = await runKillingMidStream(processes, victim);
      assert.equal(outcomes.length, 60);
    });
  }

  test("dispatch-first: intake's projector is its own lower-priority process; SIGKILLed mid-stream and restarted, the final state is the same", async () => {
    const logs = new Map<string, string[]>();
    const processes = await platform(4400, logs, 'dispatch-first');
    const projector = 'intake-projector';
    assert.ok(processes.pids[projector], 'the projector runs as a process of its own');
    const outcomes = await runKillingMidStream(processes, projector);
    assert.equal(outcomes.length, 60);
    // The statuses and timelines checked above were written by the projector: the API process consumes nothing.
    assert.equal(await eventsHandled(processes, 'intake'), 0, 'intake API handled no events');
    assert.ok((await eventsHandled(processes, projector)) > 0, 'the projector handled the events');
    // The projector serves only health and metrics; partners and staff reach intake's API process.
    const route = await fetch(`${processes.urls[projector]}/v1/complaints/${outcomes[0].id}`, {
      headers: { authorization: `Bearer ${processes.creds.tokens.ops}` },
    });
    assert.equal(route.status, 404, 'the projector serves no business route');
    // What may lag in a peak runs at lower CPU priority; the dispatch path at normal priority.
    assert.equal(getPriority(processes.pids[projector]), PROJECTION_NICE);
    assert.equal(getPriority(processes.pids.feedback), PROJECTION_NICE);
    for (const name of ['intake', 'routing', 'resolution'] as const)
      assert.equal(getPriority(processes.pids[name]), 0, `${name} at normal priority`);
  });
});
