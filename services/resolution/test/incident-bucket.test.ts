// Incident grouping: which complaints can be one outage, and the deterministic id of their window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXAMPLE_DATA, TOPICS, type ComplaintRouted } from '@complaints/contracts';
import { incidentAreaOf, incidentIdFor, joinsIncident } from '../src/domain/incident-bucket';

const HOURS_2 = 2 * 60 * 60_000;
const routed = (subtype: string, transformerArea?: string): ComplaintRouted => ({
  ...EXAMPLE_DATA[TOPICS.routed],
  classification: { ...EXAMPLE_DATA[TOPICS.routed].classification, subtype: subtype as 'interruption' },
  location: transformerArea ? { transformerArea } : {},
});

test('only interruption complaints with a transformer area can join an incident', () => {
  assert.equal(incidentAreaOf(routed('interruption', 'TA-0412')), 'TA-0412');
  assert.equal(incidentAreaOf(routed('voltage_low', 'TA-0412')), undefined);
  assert.equal(incidentAreaOf(routed('interruption')), undefined);
});

test('complaints in the same 2-hour window of one area get the same id; another area or window another', () => {
  const a = incidentIdFor('TA-0412', new Date('2026-11-20T12:05:00Z'), HOURS_2);
  assert.equal(a, 'INC-TA-0412-202611201200');
  assert.equal(incidentIdFor('TA-0412', new Date('2026-11-20T13:59:59Z'), HOURS_2), a);
  assert.notEqual(incidentIdFor('TA-0412', new Date('2026-11-20T14:00:00Z'), HOURS_2), a);
  assert.notEqual(incidentIdFor('TA-0413', new Date('2026-11-20T12:05:00Z'), HOURS_2), a);
  assert.equal(incidentIdFor('TA-0412', new Date('2026-11-20T12:05:00Z'), HOURS_2, 2), `${a}-2`);
});

test('a complaint joins an open incident whose last complaint was within the window', () => {
  const last = new Date('2026-11-20T13:50:00Z');
  assert.equal(joinsIncident(last, new Date('2026-11-20T15:10:00Z'), HOURS_2), true);
  assert.equal(joinsIncident(last, new Date('2026-11-20T16:00:00Z'), HOURS_2), false);
});
