// The whole loop with every service and the broker/database as separate processes: the dev complaints go from
// intake to closure over HTTP; nothing is lost or applied twice, also when a service is SIGKILLed mid-stream.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ComplaintDriver, inParallel, type DevComplaint } from '../src/complaint-driver';
import { devComplaints } from '../src/dev-set';
import { PlatformProcesses, type ServiceName } from '../src/platform-processes';

const REOPEN_EVERY = 10;
const started: PlatformProcesses[] = [];

after(async () => {
  await Promise.all(started.map((p) => p.stop()));
});

async function platform(basePort: number, logs: Map<string, string[]>): Promise<PlatformProcesses> {
  const processes = new PlatformProcesses({ basePort, logs });
  started.push(processes);
  await processes.start();
  console.log('# integration backend: local stand-ins, each service a separate process');
  return processes;
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
      const complaints = devComplaints().slice(0, 60);
      let killed = false;
      const oldPid = () => processes.pids[victim];
      const pidBefore = oldPid();
      const outcomes = await run(processes, complaints, async (done) => {
        if (done === 15 && !killed) {
          killed = true;
          await processes.kill(victim);
          // Work continues against the other services while it is down, then it comes back.
          await new Promise((r) => setTimeout(r, 1500));
          await processes.startService(victim);
        }
      });
      assert.ok(killed, 'the service was killed during the run');
      assert.notEqual(oldPid(), pidBefore, 'a new process took over');
      assert.equal(outcomes.length, 60);
    });
  }
});
