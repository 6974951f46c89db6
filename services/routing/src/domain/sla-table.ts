// 95598 time limits (defaults from DOMAIN.md; every number is configuration) and the deadlines they give a complaint.
import type { AreaType, Deadlines, RootCause } from '@complaints/contracts';
import type { BusinessCalendar } from './business-calendar';

export interface SlaTable {
  dispatchMinutes: number;
  firstContactHours: number;
  resolveWorkingDays: number;
  onSiteMinutes: Record<AreaType, number>;
  restoreHoursAfterArrival: Record<AreaType, number>;
}

export const DEFAULT_SLA: SlaTable = {
  dispatchMinutes: 20,
  firstContactHours: 24,
  resolveWorkingDays: 4,
  onSiteMinutes: { urban: 45, rural: 90, remote: 120 },
  restoreHoursAfterArrival: { urban: 3, rural: 4, remote: 4 },
};

const MINUTE = 60_000;

export function deadlinesFor(
  acceptedAt: Date,
  facts: { rootCause: RootCause; urgent: boolean; areaType: AreaType },
  sla: SlaTable,
  calendar: BusinessCalendar,
): Deadlines {
  const at = (ms: number) => new Date(acceptedAt.getTime() + ms).toISOString();
  const deadlines: Deadlines = {
    dispatchBy: at(sla.dispatchMinutes * MINUTE),
    firstContactBy: at(sla.firstContactHours * 60 * MINUTE),
    resolveBy: calendar.addWorkingDays(acceptedAt, sla.resolveWorkingDays).toISOString(),
  };
  // Urgent repair: crew on site by area type, supply restored within hours of arrival.
  if (facts.urgent && facts.rootCause === 'power_quality') {
    const onSite = sla.onSiteMinutes[facts.areaType];
    deadlines.onSiteBy = at(onSite * MINUTE);
    deadlines.restoreBy = at((onSite + sla.restoreHoursAfterArrival[facts.areaType] * 60) * MINUTE);
  }
  return deadlines;
}
