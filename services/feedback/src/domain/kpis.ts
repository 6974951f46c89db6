// Service KPIs: each one's definition (a table, quoted in the README and every response) and its arithmetic over grouped counts.
import type { KpiReport } from '@complaints/contracts';
import type { CallbackStatus } from './callback-task';
import type { Period } from './report-period';

export const KPI_DEFINITIONS = {
  resolutions:
    'A resolution is one complaints.resolved.v1 event (one per complaint and resolution attempt; terminated cases included) whose resolvedAt lies in [from, to). Each resolution gets one callback task; its outcome is counted as it stands when the report is made.',
  callbackRate:
    'Resolutions whose callback reached an outcome (satisfied, basically_satisfied, dissatisfied or unreachable) / resolutions. Pending callbacks count in the denominator only.',
  satisfactionRate:
    '(satisfied + basically_satisfied) / customers reached (satisfied + basically_satisfied + dissatisfied), over the callbacks of the resolutions. Unreachable and pending callbacks count in neither.',
  onTimeResolutionRate:
    'Resolutions with onTime = true (resolved before the resolution deadline, as reported by the resolution service) / resolutions.',
  reopenRate: 'Resolutions whose callback ended dissatisfied, which reopened the complaint / resolutions.',
  reclassificationRate:
    'Complaints routed in the period that routing reclassified (a complaints.routed.v1 with revision > 1, whenever it came) / complaints routed in the period.',
  complaints:
    'Complaints routed in the period: those whose first complaints.routed.v1 has routedAt in [from, to). byRootCause, bySubtype, byGrade and byAreaType use the latest routing decision (highest revision).',
  byTransformerArea:
    'Complaints routed in the period by transformer area (台区): from the routed location, else the location the customer gave; "unknown" when neither names one.',
  rates:
    'Every rate is numerator / denominator rounded to 4 decimals, null when the denominator is 0. Periods are [from, to) in UTC unless the date-times carry an offset.',
} as const;

export interface ResolutionGroup {
  status: CallbackStatus;
  onTime: boolean;
  terminated: boolean;
  count: number;
}

export interface ComplaintGroups {
  byRootCause: Array<{ key: string | null; count: number }>;
  bySubtype: Array<{ key: string | null; count: number }>;
  byGrade: Array<{ key: string | null; count: number }>;
  byAreaType: Array<{ key: string | null; count: number }>;
  byArea: Array<{ routed: string | null; reported: string | null; count: number }>;
  byMaxRevision: Array<{ key: number | null; count: number }>;
}

export const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

export const ratio = (numerator: number, denominator: number) => ({
  value: denominator === 0 ? null : round(numerator / denominator, 4),
  numerator,
  denominator,
});

function tally<T>(rows: T[], key: (row: T) => string, count: (row: T) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[key(row)] = (out[key(row)] ?? 0) + count(row);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function kpiReport(
  period: Period,
  resolutions: ResolutionGroup[],
  complaints: ComplaintGroups,
): KpiReport {
  const callbacks = { pending: 0, satisfied: 0, basically_satisfied: 0, dissatisfied: 0, unreachable: 0 };
  let total = 0;
  let onTime = 0;
  let terminated = 0;
  for (const group of resolutions) {
    total += group.count;
    callbacks[group.status] += group.count;
    if (group.onTime) onTime += group.count;
    if (group.terminated) terminated += group.count;
  }
  const completed = total - callbacks.pending;
  const pleased = callbacks.satisfied + callbacks.basically_satisfied;
  const reached = pleased + callbacks.dissatisfied;

  const routed = complaints.byMaxRevision.reduce((n, g) => n + g.count, 0);
  const reclassified = complaints.byMaxRevision
    .filter((g) => (g.key ?? 1) > 1)
    .reduce((n, g) => n + g.count, 0);
  const byKey = (rows: Array<{ key: string | null; count: number }>) =>
    tally(
      rows,
      (r) => r.key ?? 'unknown',
      (r) => r.count,
    );

  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    resolutions: { total, onTime, terminated, callbacks },
    complaints: {
      routed,
      reclassified,
      byRootCause: byKey(complaints.byRootCause),
      bySubtype: byKey(complaints.bySubtype),
      byGrade: byKey(complaints.byGrade),
      byAreaType: byKey(complaints.byAreaType),
      byTransformerArea: tally(
        complaints.byArea,
        (r) => r.routed ?? r.reported ?? 'unknown',
        (r) => r.count,
      ),
    },
    kpis: {
      callbackRate: ratio(completed, total),
      satisfactionRate: ratio(pleased, reached),
      onTimeResolutionRate: ratio(onTime, total),
      reopenRate: ratio(callbacks.dissatisfied, total),
      reclassificationRate: ratio(reclassified, routed),
    },
    definitions: { ...KPI_DEFINITIONS },
  };
}
