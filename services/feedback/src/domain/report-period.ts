// The period a report covers: [from, to), from ISO dates or date-times, defaulting to the last 30 days.
import { problems } from '@complaints/platform';

const DAY_MS = 86_400_000;
export const DEFAULT_REPORT_DAYS = 30;

export interface Period {
  from: Date;
  to: Date;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseBound(field: 'from' | 'to', input: string): Date {
  const dateOnly = DATE_ONLY.test(input);
  const date = new Date(dateOnly ? `${input}T00:00:00.000Z` : input);
  // Date rolls 2026-02-30 over to March; a report date must be a real calendar date.
  const real = !Number.isNaN(date.getTime()) && (!dateOnly || date.toISOString().slice(0, 10) === input);
  if (!real) throw problems.validation([{ field: `/${field}`, message: 'is not a real date' }]);
  // A bare `to` date includes that whole (UTC) day.
  return dateOnly && field === 'to' ? new Date(date.getTime() + DAY_MS) : date;
}

export function reportPeriod(query: { from?: string; to?: string }, now: Date): Period {
  const to = query.to ? parseBound('to', query.to) : now;
  const from = query.from
    ? parseBound('from', query.from)
    : new Date(to.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime())
    throw problems.validation([{ field: '/to', message: 'must be later than from' }]);
  return { from, to };
}
