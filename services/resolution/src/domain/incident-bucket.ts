// Which complaints belong to a mass-outage incident, and the deterministic id of the incident they start.
import type { ComplaintRouted } from '@complaints/contracts';

/** Interruption complaints with a known transformer area can be one outage. */
export function incidentAreaOf(routed: ComplaintRouted): string | undefined {
  const { rootCause, subtype } = routed.classification;
  if (rootCause !== 'power_quality' || subtype !== 'interruption') return undefined;
  return routed.location?.transformerArea;
}

/** Start of the fixed window the moment falls in. */
export function bucketStart(at: Date, windowMs: number): Date {
  return new Date(Math.floor(at.getTime() / windowMs) * windowMs);
}

/**
 * INC-<area>-<window start, UTC yyyymmddhhmm>; generation 2, 3, … when an incident of that window was
 * already resolved and the same area goes out again. Every instance computes the same id, so concurrent
 * upserts meet in one document.
 */
export function incidentIdFor(transformerArea: string, at: Date, windowMs: number, generation = 1): string {
  const stamp = bucketStart(at, windowMs).toISOString().replace(/[-:T]/g, '').slice(0, 12);
  const area = transformerArea.replace(/[^0-9A-Za-z_-]/g, '_');
  return `INC-${area}-${stamp}${generation > 1 ? `-${generation}` : ''}`;
}

/** A complaint joins an open incident of its area when it came within the window of that incident's last one. */
export function joinsIncident(lastComplaintAt: Date, at: Date, windowMs: number): boolean {
  return Math.abs(at.getTime() - lastComplaintAt.getTime()) <= windowMs;
}
