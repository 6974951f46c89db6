// Incident joins against the database: complaints joined together in one burst get the incidents they would get one at a time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mongoose, { type Connection } from 'mongoose';
import type { Team } from '@complaints/contracts';
import { startTestInfra, uniqueName, type TestInfra } from '@complaints/platform/testing';
import { incidentIdFor } from '../src/domain/incident-bucket';
import { incidentModel } from '../src/data-access/incident-model';
import { IncidentRepository } from '../src/data-access/incident-repository';

const MINUTE = 60_000;
const WINDOW = 30 * MINUTE;
const T0 = Date.parse('2026-11-23T08:00:00.000Z');

let infra: TestInfra;
const connections: Connection[] = [];

before(async () => {
  infra = await startTestInfra();
});

after(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await infra?.stop();
});

/** A repository on a database of its own, and a count of the database round trips its model makes. */
async function freshRepository(): Promise<{ repository: IncidentRepository; roundTrips: () => number }> {
  const connection = await mongoose.createConnection(infra.mongoUri(uniqueName('incidents'))).asPromise();
  connections.push(connection);
  let roundTrips = 0;
  connection.set('debug', () => {
    roundTrips++;
  });
  const model = incidentModel(connection);
  await model.init();
  return { repository: new IncidentRepository(model), roundTrips: () => roundTrips };
}

interface Join {
  area: string;
  team: Team;
  at: Date;
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Outages in a few areas: bursts of complaints, some areas going out again after a quiet spell. */
function outageComplaints(seed: number, count: number): Join[] {
  const next = random(seed);
  const areas = ['TA-0101', 'TA-0102', 'TA-0103', 'TA-0104', 'TA-0105'];
  return Array.from({ length: count }, () => {
    const area = areas[Math.floor(next() * areas.length)];
    // Two bursts per area, three hours apart, each spread over 40 minutes: longer than one window.
    const burst = next() < 0.5 ? 0 : 180 * MINUTE;
    return { area, team: 'field_operations', at: new Date(T0 + burst + next() * 40 * MINUTE) };
  });
}

test('a burst of joins gets the same incidents as the same joins one at a time, in far fewer round trips', async () => {
  const complaints = outageComplaints(7, 300);
  const oneByOne = await freshRepository();
  const expected: string[] = [];
  for (const c of complaints) expected.push(await oneByOne.repository.join(c.area, c.team, c.at, WINDOW));

  const burst = await freshRepository();
  const actual = await Promise.all(
    complaints.map((c) => burst.repository.join(c.area, c.team, c.at, WINDOW)),
  );

  assert.deepEqual(actual, expected);
  // Each area had two outages three hours apart: at least two incidents per area, none shared between areas.
  const byArea = new Map<string, Set<string>>();
  complaints.forEach((c, i) => byArea.set(c.area, (byArea.get(c.area) ?? new Set()).add(actual[i])));
  for (const [area, ids] of byArea) {
    assert.ok(ids.size >= 2, `${area}: ${[...ids].join(', ')}`);
    for (const id of ids) assert.ok(id.startsWith(`INC-${area}-`), id);
  }
  // The stored incidents agree: each one's last complaint is the latest complaint that joined it.
  for (const id of new Set(actual)) {
    const stored = await burst.repository.findById(id);
    const joined = complaints.filter((_, i) => actual[i] === id).map((c) => c.at.getTime());
    assert.equal(stored?.status, 'open');
    assert.equal(stored?.lastComplaintAt.getTime(), Math.max(...joined), id);
  }
  assert.ok(
    burst.roundTrips() * 5 < oneByOne.roundTrips(),
    `${burst.roundTrips()} round trips in a burst, ${oneByOne.roundTrips()} one at a time`,
  );
});

test('complaints of an area whose incident was resolved open the next generation together', async () => {
  const { repository } = await freshRepository();
  const area = 'TA-0900';
  const at = (minutes: number) => new Date(T0 + minutes * MINUTE);
  const first = await repository.join(area, 'field_operations', at(1), WINDOW);
  assert.equal(first, incidentIdFor(area, at(1), WINDOW));
  await repository.model.updateOne({ _id: first }, { $set: { status: 'resolved' } });

  // The same window: its own id is taken by the resolved incident, so all of these meet in generation 2.
  const later = await Promise.all(
    [2, 3, 4, 5].map((m) => repository.join(area, 'field_operations', at(m), WINDOW)),
  );
  assert.deepEqual(new Set(later), new Set([incidentIdFor(area, at(2), WINDOW, 2)]));
  const second = await repository.findById(later[0]);
  assert.equal(second?.status, 'open');
  assert.equal(second?.openedAt.getTime(), at(2).getTime());
  assert.equal(second?.lastComplaintAt.getTime(), at(5).getTime());
  assert.equal(await repository.isOpen(first), false);
  assert.equal(await repository.isOpen(later[0]), true);
  assert.equal(await repository.isOpen('INC-none'), false);
});
