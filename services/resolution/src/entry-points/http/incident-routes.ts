// Staff routes for mass-outage incidents: read with linked complaints, link and unlink by hand, resolve all at once.
import type { Express, Request } from 'express';
import {
  IncidentLink,
  IncidentQuery,
  IncidentResolution,
  type IncidentPage,
  type StaffRole,
} from '@complaints/contracts';
import { authenticate, parseBody, parseQuery, type AuthOptions } from '@complaints/platform';
import { ACCESS, assertTeam } from '../../domain/access';
import type { Incidents } from '../../domain/incidents';
import type { WorkOrders } from '../../domain/work-orders';
import { incidentSummary, incidentView } from './views';
import { actorOf, pageOf, staffOf } from './work-order-routes';

export interface IncidentRouteDeps {
  auth: AuthOptions;
  incidents: Incidents;
  workOrders: WorkOrders;
}

export function incidentRoutes(app: Express, deps: IncidentRouteDeps): void {
  const { incidents, workOrders } = deps;
  const allow = (roles: readonly StaffRole[]) => authenticate(deps.auth, { roles: [...roles] });
  const idOf = (req: Request) => String(req.params.id);
  const view = async (id: string) =>
    incidentView(await incidents.get(id), await workOrders.repository.summariesOfIncident(id));

  app.get('/v1/incidents', allow(ACCESS.read), async (req, res) => {
    const query = parseQuery(IncidentQuery, req.query);
    const { limit, offset } = pageOf(query);
    const { items, total } = await incidents.repository.list(
      { status: query.status, team: query.team, transformerArea: query.transformerArea },
      { limit, offset },
    );
    const counts = await workOrders.repository.countsByIncident(items.map((i) => i._id));
    const page: IncidentPage = {
      items: items.map((i) => incidentSummary(i, counts.get(i._id) ?? { complaintCount: 0, openCount: 0 })),
      total,
      limit,
      offset,
    };
    res.json(page);
  });

  app.get('/v1/incidents/:id', allow(ACCESS.read), async (req, res) => {
    res.json(await view(idOf(req)));
  });

  app.post('/v1/incidents/:id/link', allow(ACCESS.supervise), async (req, res) => {
    const body = parseBody(IncidentLink, req.body);
    await incidents.link(idOf(req), body.workOrderId, actorOf(staffOf(req)), body.reason);
    res.json(await view(idOf(req)));
  });

  app.post('/v1/incidents/:id/unlink', allow(ACCESS.supervise), async (req, res) => {
    const body = parseBody(IncidentLink, req.body);
    await incidents.unlink(idOf(req), body.workOrderId, actorOf(staffOf(req)), body.reason);
    res.json(await view(idOf(req)));
  });

  app.post('/v1/incidents/:id/resolve', allow(ACCESS.resolveIncident), async (req, res) => {
    const staff = staffOf(req);
    const body = parseBody(IncidentResolution, req.body);
    const incident = await incidents.get(idOf(req));
    assertTeam(staff, incident.team, `Incident ${incident._id}`);
    await incidents.resolve(incident._id, body, actorOf(staff));
    res.json(await view(incident._id));
  });
}
