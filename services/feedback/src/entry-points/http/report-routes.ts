// Management reports: KPIs over a period and over time, and staff/team ratings, computed from this service's own projections.
import type { Express } from 'express';
import { KpiSeriesQuery, ReportQuery, StaffRatingsQuery } from '@complaints/contracts';
import { authenticate, parseBody, type AuthOptions } from '@complaints/platform';
import type { CallbackRepository } from '../../data-access/callback-repository';
import type { ComplaintFactsRepository } from '../../data-access/complaint-facts-repository';
import type { Clock } from '../../domain/clock';
import { kpiReport } from '../../domain/kpis';
import { kpiSeries, seriesPeriod } from '../../domain/kpi-series';
import { reportPeriod } from '../../domain/report-period';
import { staffRatingsReport } from '../../domain/staff-ratings';

export interface ReportRouteDeps {
  auth: AuthOptions;
  callbacks: CallbackRepository;
  facts: ComplaintFactsRepository;
  clock: Clock;
}

export function reportRoutes(app: Express, deps: ReportRouteDeps): void {
  app.get('/v1/kpis', authenticate(deps.auth, { roles: ['manager', 'ops'] }), async (req, res) => {
    const period = reportPeriod(parseBody(ReportQuery, { ...req.query }), deps.clock());
    const [resolutions, complaints] = await Promise.all([
      deps.callbacks.resolutionGroups(period),
      deps.facts.complaintGroups(period),
    ]);
    res.json(kpiReport(period, resolutions, complaints));
  });

  app.get('/v1/kpis/series', authenticate(deps.auth, { roles: ['manager', 'ops'] }), async (req, res) => {
    const period = seriesPeriod(parseBody(KpiSeriesQuery, { ...req.query }), deps.clock());
    const [routed, resolved] = await Promise.all([
      deps.facts.routedFacts(period),
      deps.callbacks.resolvedFacts(period),
    ]);
    res.json(kpiSeries(period, routed, resolved));
  });

  app.get(
    '/v1/staff-ratings',
    authenticate(deps.auth, { roles: ['manager', 'supervisor', 'ops'] }),
    async (req, res) => {
      const query = parseBody(StaffRatingsQuery, { ...req.query });
      const period = reportPeriod(query, deps.clock());
      res.json(
        staffRatingsReport(period, query.groupBy ?? 'staff', await deps.callbacks.staffGroups(period)),
      );
    },
  );
}
