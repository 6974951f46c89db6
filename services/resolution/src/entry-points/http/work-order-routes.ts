// Staff routes for work orders: list and read, and one POST per lifecycle action; thin, the rules live in domain/.
import type { Express, Request } from 'express';
import type { Static, TSchema } from '@sinclair/typebox';
import {
  WorkOrderContact,
  WorkOrderEscalation,
  WorkOrderNote,
  WorkOrderPause,
  WorkOrderQuery,
  WorkOrderReassignment,
  WorkOrderResolution,
  WorkOrderTermination,
  type StaffRole,
  type WorkOrderPage,
} from '@complaints/contracts';
import {
  authenticate,
  parseBody,
  parseQuery,
  problems,
  type AuthOptions,
  type StaffPrincipal,
} from '@complaints/platform';
import { ACCESS, assertTeam, TEAM_BOUND_ROLES } from '../../domain/access';
import type { Clock } from '../../domain/clock';
import type { Actor, StaffCommand } from '../../domain/work-order';
import type { WorkOrders } from '../../domain/work-orders';
import { workOrderView } from './views';

export interface WorkOrderRouteDeps {
  auth: AuthOptions;
  workOrders: WorkOrders;
  clock: Clock;
}

const WORK_ORDER_ID = /^WO-CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;
const COMPLAINT_ID = /^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

export function staffOf(req: Request): StaffPrincipal {
  if (req.principal?.kind !== 'staff') throw problems.forbidden('Only staff work on orders.');
  return req.principal;
}

export const actorOf = (staff: StaffPrincipal): Actor => ({
  staffId: staff.staffId,
  role: staff.role,
  ...(staff.team ? { team: staff.team } : {}),
});

/** The work order id from the path; the complaint id a customer quotes names the same order. */
function workOrderIdOf(req: Request): string {
  const raw = String(req.params.id);
  if (COMPLAINT_ID.test(raw)) return `WO-${raw}`;
  if (WORK_ORDER_ID.test(raw)) return raw;
  throw problems.notFound(`No work order ${raw}: ids look like WO-CMP-XXXX-XXXX-XXXX-XXXX.`);
}

function pageNumber(
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  field: string,
): number {
  const n = value === undefined ? fallback : Number(value);
  if (n < min || n > max)
    throw problems.validation([{ field: `query/${field}`, message: `must be from ${min} to ${max}` }]);
  return n;
}

/** Page size and position from a list query: 50 by default, at most 200. */
export function pageOf(query: { limit?: string; offset?: string }): { limit: number; offset: number } {
  return {
    limit: pageNumber(query.limit, DEFAULT_PAGE, 1, MAX_PAGE, 'limit'),
    offset: pageNumber(query.offset, 0, 0, 1_000_000, 'offset'),
  };
}

export function workOrderRoutes(app: Express, deps: WorkOrderRouteDeps): void {
  const { workOrders, clock } = deps;
  const allow = (roles: readonly StaffRole[]) => authenticate(deps.auth, { roles: [...roles] });

  app.get('/v1/work-orders', allow(ACCESS.read), async (req, res) => {
    const staff = staffOf(req);
    const query = parseQuery(WorkOrderQuery, req.query);
    let team = query.team;
    if (TEAM_BOUND_ROLES.includes(staff.role)) {
      if (!staff.team) throw problems.forbidden(`Your ${staff.role} token names no team.`);
      if (team && team !== staff.team)
        throw problems.forbidden(`${staff.role} of team ${staff.team} may not list team ${team}'s orders.`);
      team = staff.team as typeof team;
    }
    const { limit, offset } = pageOf(query);
    const now = clock.now();
    const { items, total } = await workOrders.repository.list(
      {
        ...(team ? { team } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.grade ? { grade: query.grade } : {}),
        ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
        ...(query.incidentId ? { incidentId: query.incidentId } : {}),
        ...(query.assigneeId ? { assigneeId: query.assigneeId } : {}),
      },
      { limit, offset },
      now,
    );
    const page: WorkOrderPage = {
      items: items.map((o) => workOrderView(o, now, false)),
      total,
      limit,
      offset,
    };
    res.json(page);
  });

  app.get('/v1/work-orders/:id', allow(ACCESS.read), async (req, res) => {
    const staff = staffOf(req);
    const id = workOrderIdOf(req);
    const order = await workOrders.get(id);
    assertTeam(staff, order.team, `Work order ${id}`);
    res.json(workOrderView(order, clock.now(), true));
  });

  /** One POST per action: validate the body, check role and team, let the domain decide. */
  function action<S extends TSchema>(
    path: string,
    roles: readonly StaffRole[],
    schema: S,
    command: (body: Static<S>) => StaffCommand,
  ): void {
    app.post(`/v1/work-orders/:id/${path}`, allow(roles), async (req, res) => {
      const staff = staffOf(req);
      const id = workOrderIdOf(req);
      const body = parseBody(schema, req.body ?? {});
      const order = await workOrders.get(id);
      assertTeam(staff, order.team, `Work order ${id}`);
      const outcome = await workOrders.act(id, command(body), actorOf(staff));
      res.json(workOrderView(outcome.order, clock.now(), true));
    });
  }

  action('accept', ACCESS.fieldWork, WorkOrderNote, (b) => ({ action: 'accept', note: b.note }));
  action('contact', ACCESS.fieldWork, WorkOrderContact, (b) => ({
    action: 'contact',
    method: b.method,
    note: b.note,
  }));
  action('on-site', ACCESS.fieldWork, WorkOrderNote, (b) => ({ action: 'arrive', note: b.note }));
  action('resolve', ACCESS.fieldWork, WorkOrderResolution, (b) => ({ action: 'resolve', resolution: b }));
  action('pause', ACCESS.fieldWork, WorkOrderPause, (b) => ({ action: 'pause', reason: b.reason }));
  action('resume', ACCESS.fieldWork, WorkOrderNote, (b) => ({ action: 'resume', note: b.note }));
  action('reassign', ACCESS.reassign, WorkOrderReassignment, (b) => ({ action: 'reassign', ...b }));
  action('escalate', ACCESS.supervise, WorkOrderEscalation, (b) => ({
    action: 'escalate',
    reason: b.reason,
  }));
  action('terminate', ACCESS.supervise, WorkOrderTermination, (b) => ({ action: 'terminate', ...b }));
}
