// KPIs over time: the period cut into whole UTC hours or days, complaints by root cause and the callback rates per bucket.
import { ROOT_CAUSES, type KpiSeries, type KpiSeriesQuery } from '@complaints/contracts';
import { problems } from '@complaints/platform';
import type { CallbackStatus } from './callback-task';
import { ratio } from './kpis';
import { reportPeriod, type Period } from './report-period';

export type Bucket = NonNullable<KpiSeriesQuery['bucket']>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Size, default span and most buckets one answer may hold (a month of hours, a year of days). */
export const SERIES_BUCKETS: Record<Bucket, { ms: number; defaultSpanMs: number; max: number }> = {
  hour: { ms: HOUR_MS, defaultSpanMs: DAY_MS, max: 31 * 24 },
  day: { ms: DAY_MS, defaultSpanMs: 30 * DAY_MS, max: 366 },
};

export const KPI_SERIES_DEFINITIONS = {
  buckets:
    'The period is widened to whole UTC hours or days (from rounded down, to rounded up); each bucket is [from, to).',
  complaints:
    'Complaints whose first complaints.routed.v1 has routedAt in the bucket, by the root cause of the latest routing decision ("unknown" if none).',
  resolutions: 'complaints.resolved.v1 events (one per resolution attempt) with resolvedAt in the bucket.',
  callbackRate:
    'Resolutions of the bucket whose callback reached an outcome (satisfied, basically_satisfied, dissatisfied or unreachable) / resolutions of the bucket.',
  satisfactionRate:
    '(satisfied + basically_satisfied) / (satisfied + basically_satisfied + dissatisfied), over the callbacks of the resolutions of the bucket.',
  rates: 'numerator / denominator rounded to 4 decimals, null when the denominator is 0.',
} as const;

export interface RoutedFact {
  firstRoutedAt: Date;
  rootCause: string | null;
}

export interface ResolvedFact {
  resolvedAt: Date;
  status: CallbackStatus;
}

/** The requested period, widened to whole buckets; too many buckets is a 400 on `to`. */
export function seriesPeriod(query: KpiSeriesQuery, now: Date): Period & { bucket: Bucket } {
  const bucket = query.bucket ?? 'hour';
  const size = SERIES_BUCKETS[bucket];
  const to = reportPeriod(query.to ? { to: query.to } : {}, now).to;
  const asked = query.from
    ? reportPeriod({ from: query.from, to: to.toISOString() }, now)
    : { from: new Date(to.getTime() - size.defaultSpanMs), to };
  const from = new Date(Math.floor(asked.from.getTime() / size.ms) * size.ms);
  const end = new Date(Math.ceil(asked.to.getTime() / size.ms) * size.ms);
  const count = (end.getTime() - from.getTime()) / size.ms;
  if (count > size.max)
    throw problems.validation([
      { field: '/to', message: `the period holds ${count} ${bucket}s; at most ${size.max} per request` },
    ]);
  return { from, to: end, bucket };
}

export function kpiSeries(
  period: Period & { bucket: Bucket },
  routed: RoutedFact[],
  resolved: ResolvedFact[],
): KpiSeries {
  const size = SERIES_BUCKETS[period.bucket].ms;
  const start = period.from.getTime();
  const count = Math.round((period.to.getTime() - start) / size);
  const indexOf = (at: Date) => Math.floor((at.getTime() - start) / size);
  const seen = new Set<string>(ROOT_CAUSES);
  for (const fact of routed) seen.add(fact.rootCause ?? 'unknown');
  const rootCauses = [...seen];

  const buckets = Array.from({ length: count }, (_, i) => ({
    byRootCause: Object.fromEntries(rootCauses.map((c) => [c, 0])),
    routed: 0,
    statuses: { pending: 0, satisfied: 0, basically_satisfied: 0, dissatisfied: 0, unreachable: 0 },
    total: 0,
    from: new Date(start + i * size),
    to: new Date(start + (i + 1) * size),
  }));
  for (const fact of routed) {
    const b = buckets[indexOf(fact.firstRoutedAt)];
    if (!b) continue;
    b.routed += 1;
    b.byRootCause[fact.rootCause ?? 'unknown'] = (b.byRootCause[fact.rootCause ?? 'unknown'] ?? 0) + 1;
  }
  for (const fact of resolved) {
    const b = buckets[indexOf(fact.resolvedAt)];
    if (!b) continue;
    b.total += 1;
    b.statuses[fact.status] += 1;
  }

  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    bucket: period.bucket,
    rootCauses,
    buckets: buckets.map((b) => {
      const pleased = b.statuses.satisfied + b.statuses.basically_satisfied;
      return {
        from: b.from.toISOString(),
        to: b.to.toISOString(),
        complaints: { routed: b.routed, byRootCause: b.byRootCause },
        resolutions: b.total,
        kpis: {
          callbackRate: ratio(b.total - b.statuses.pending, b.total),
          satisfactionRate: ratio(pleased, pleased + b.statuses.dissatisfied),
        },
      };
    }),
    definitions: { ...KPI_SERIES_DEFINITIONS },
  };
}
