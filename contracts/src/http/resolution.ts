// The resolution service's HTTP request/response bodies and endpoints: work orders and mass-outage incidents.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AccountNo, StaffRef } from '../common';
import {
  AreaType,
  Channel,
  ComplaintId,
  Grade,
  GRADES,
  ManagerRole,
  RootCause,
  Segment,
  SlaLimit,
  Subtype,
  Team,
  TEAMS,
  Timestamp,
} from '../taxonomy';
import type { EndpointSpec } from './endpoints';

const literals = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

export const WORK_ORDER_STATUSES = [
  'created',
  'assigned',
  'accepted',
  'contacted',
  'on_site',
  'resolved',
  'reopened',
  'terminated',
  'closed',
] as const;
export const WorkOrderStatus = literals(WORK_ORDER_STATUSES, 'Where the work order is in its lifecycle');
export type WorkOrderStatus = Static<typeof WorkOrderStatus>;

export const ASSET_OWNERS = ['utility', 'customer'] as const;
export const AssetOwner = literals(ASSET_OWNERS, 'Who owns the failed equipment; decides paid versus free');
export type AssetOwner = Static<typeof AssetOwner>;

export const WORK_ORDER_ID_PATTERN = '^WO-CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$';
export const WorkOrderId = Type.String({
  pattern: WORK_ORDER_ID_PATTERN,
  description: 'Work order id: WO- and the complaint id (one work order per complaint)',
  examples: ['WO-CMP-7KQ3-MZ9X-PA2B-XY4Q'],
});

const note = Type.Optional(
  Type.String({ minLength: 1, maxLength: 2000, description: 'Free text for the history' }),
);
const reason = (description: string) => Type.String({ minLength: 3, maxLength: 2000, description });

export const WorkOrderNote = Type.Object({ note }, { additionalProperties: false, title: 'WorkOrderNote' });
export type WorkOrderNote = Static<typeof WorkOrderNote>;

export const WorkOrderContact = Type.Object(
  {
    method: Type.Unsafe<'phone' | 'visit' | 'sms' | 'wechat'>({
      type: 'string',
      enum: ['phone', 'visit', 'sms', 'wechat'],
      description: 'How the customer was reached',
    }),
    note,
  },
  { additionalProperties: false, title: 'WorkOrderContact' },
);
export type WorkOrderContact = Static<typeof WorkOrderContact>;

const resolutionFields = {
  assetOwner: AssetOwner,
  workDone: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'What was done, for the customer callback',
  }),
  resolutionCode: Type.String({
    minLength: 1,
    maxLength: 60,
    pattern: '^[a-z0-9_]+$',
    examples: ['transformer_tap_adjusted'],
  }),
};

export const WorkOrderResolution = Type.Object(
  { ...resolutionFields, note },
  { additionalProperties: false, title: 'WorkOrderResolution' },
);
export type WorkOrderResolution = Static<typeof WorkOrderResolution>;

export const WorkOrderReassignment = Type.Object(
  {
    assigneeId: Type.String({ minLength: 1, maxLength: 60, description: 'Staff id of the new assignee' }),
    team: Type.Optional(Team),
    reason: reason('Why the order moves'),
  },
  { additionalProperties: false, title: 'WorkOrderReassignment' },
);
export type WorkOrderReassignment = Static<typeof WorkOrderReassignment>;

export const WorkOrderEscalation = Type.Object(
  { reason: reason('Why the supervisor takes the case under supervision (督办)') },
  { additionalProperties: false, title: 'WorkOrderEscalation' },
);
export type WorkOrderEscalation = Static<typeof WorkOrderEscalation>;

export const WorkOrderTermination = Type.Object(
  {
    reason: reason('Which demands exceed the regulations (服务终止)'),
    assetOwner: Type.Optional(AssetOwner),
  },
  { additionalProperties: false, title: 'WorkOrderTermination' },
);
export type WorkOrderTermination = Static<typeof WorkOrderTermination>;

export const WorkOrderPause = Type.Object(
  { reason: reason('What the customer is to do or provide; the clock stops meanwhile') },
  { additionalProperties: false, title: 'WorkOrderPause' },
);
export type WorkOrderPause = Static<typeof WorkOrderPause>;

export const IncidentLink = Type.Object(
  {
    workOrderId: WorkOrderId,
    reason: Type.Optional(reason('Why the order belongs (or not) to the incident')),
  },
  { additionalProperties: false, title: 'IncidentLink' },
);
export type IncidentLink = Static<typeof IncidentLink>;

export const IncidentResolution = Type.Object(
  { ...resolutionFields, note },
  { additionalProperties: false, title: 'IncidentResolution' },
);
export type IncidentResolution = Static<typeof IncidentResolution>;

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const SlaLimitView = Type.Object(
  {
    startedAt: Timestamp,
    deadline: Timestamp,
    warnAt: Timestamp,
    pausedMs: Type.Integer({ minimum: 0 }),
    warnedAt: nullable(Timestamp),
    breachedAt: nullable(Timestamp),
    doneAt: nullable(Timestamp),
  },
  { additionalProperties: false },
);

export const HistoryEntryView = Type.Object(
  {
    at: Timestamp,
    action: Type.String(),
    from: Type.Optional(WorkOrderStatus),
    to: WorkOrderStatus,
    by: Type.String({ description: 'Staff id, or routing / feedback / scheduler' }),
    role: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    attempt: Type.Integer({ minimum: 1 }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const ResolutionView = Type.Object(
  {
    assetOwner: AssetOwner,
    workDone: Type.String(),
    resolutionCode: Type.String(),
    charge: Type.Object({
      decision: Type.Union([Type.Literal('free'), Type.Literal('paid')]),
      reason: Type.String(),
    }),
    resolvedAt: Timestamp,
    resolvedBy: StaffRef,
    onTime: Type.Boolean(),
    terminated: Type.Boolean(),
    incidentId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const WorkOrderView = Type.Object(
  {
    id: WorkOrderId,
    complaintId: ComplaintId,
    status: WorkOrderStatus,
    attempt: Type.Integer({ minimum: 1 }),
    revision: Type.Integer({ minimum: 1 }),
    channel: Channel,
    accountNo: AccountNo,
    rootCause: RootCause,
    subtype: Subtype,
    urgent: Type.Boolean(),
    segment: Segment,
    vulnerable: Type.Boolean(),
    areaType: AreaType,
    transformerArea: Type.Optional(Type.String()),
    team: Team,
    grade: Grade,
    accountManager: Type.Object({ role: ManagerRole, managerId: Type.Optional(Type.String()) }),
    assigneeId: nullable(Type.String()),
    incidentId: nullable(Type.String()),
    pausedSince: nullable(Timestamp),
    supervision: Type.Boolean({
      description: 'Under supervision (督办): escalated by hand or after a missed limit',
    }),
    overdue: Type.Boolean({ description: 'A time limit still open has been missed' }),
    sla: Type.Object(
      {
        dispatch: Type.Optional(SlaLimitView),
        first_contact: Type.Optional(SlaLimitView),
        on_site: Type.Optional(SlaLimitView),
        restore: Type.Optional(SlaLimitView),
        resolve: Type.Optional(SlaLimitView),
      },
      {
        additionalProperties: false,
        description: 'Time limits of the current attempt; on_site and restore for urgent repairs',
      },
    ),
    escalations: Type.Array(
      Type.Object({
        at: Timestamp,
        by: Type.String(),
        to: Type.String(),
        reason: Type.String(),
        limit: Type.Optional(SlaLimit),
      }),
    ),
    resolution: nullable(ResolutionView),
    history: Type.Optional(Type.Array(HistoryEntryView, { description: 'Only when one order is read' })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false, title: 'WorkOrderView' },
);
export type WorkOrderView = Static<typeof WorkOrderView>;

/** One page of a list, with the total number of matches. */
const pageOf = <T extends TSchema>(items: T, title: string) =>
  Type.Object(
    {
      items: Type.Array(items),
      total: Type.Integer({ minimum: 0 }),
      limit: Type.Integer({ minimum: 1 }),
      offset: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false, title },
  );

export const WorkOrderPage = pageOf(WorkOrderView, 'WorkOrderPage');
export type WorkOrderPage = Static<typeof WorkOrderPage>;

const booleanText = Type.Unsafe<'true' | 'false'>({ type: 'string', enum: ['true', 'false'] });
const integerText = Type.String({ pattern: '^[0-9]{1,6}$' });

/** Query of the work-order list; values arrive as text. */
export const WorkOrderQuery = Type.Object(
  {
    team: Type.Optional(Team),
    status: Type.Optional(WorkOrderStatus),
    grade: Type.Optional(Grade),
    overdue: Type.Optional(booleanText),
    incidentId: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    assigneeId: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    limit: Type.Optional(integerText),
    offset: Type.Optional(integerText),
  },
  { additionalProperties: false, title: 'WorkOrderQuery' },
);
export type WorkOrderQuery = Static<typeof WorkOrderQuery>;

export const INCIDENT_STATUSES = ['open', 'resolving', 'resolved'] as const;

export const IncidentView = Type.Object(
  {
    id: Type.String(),
    transformerArea: Type.String(),
    team: Team,
    status: literals(INCIDENT_STATUSES, 'resolving: the linked orders are being resolved one by one'),
    openedAt: Timestamp,
    lastComplaintAt: Timestamp,
    resolution: nullable(
      Type.Object({
        assetOwner: AssetOwner,
        workDone: Type.String(),
        resolutionCode: Type.String(),
        resolvedAt: Timestamp,
        resolvedBy: StaffRef,
      }),
    ),
    complaintCount: Type.Integer({ minimum: 0 }),
    openCount: Type.Integer({ minimum: 0 }),
    workOrders: Type.Array(
      Type.Object({ id: WorkOrderId, complaintId: ComplaintId, status: WorkOrderStatus, grade: Grade }),
    ),
  },
  { additionalProperties: false, title: 'IncidentView' },
);
export type IncidentView = Static<typeof IncidentView>;

/** An incident in a list: its counts, not its linked orders (read one incident for those). */
export const IncidentSummary = Type.Omit(IncidentView, ['workOrders'], {
  additionalProperties: false,
  title: 'IncidentSummary',
});
export type IncidentSummary = Static<typeof IncidentSummary>;

export const IncidentPage = pageOf(IncidentSummary, 'IncidentPage');
export type IncidentPage = Static<typeof IncidentPage>;

/** Query of the incident list; values arrive as text. */
export const IncidentQuery = Type.Object(
  {
    status: Type.Optional(literals(INCIDENT_STATUSES, 'Where the incident is')),
    team: Type.Optional(Team),
    transformerArea: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    limit: Type.Optional(integerText),
    offset: Type.Optional(integerText),
  },
  { additionalProperties: false, title: 'IncidentQuery' },
);
export type IncidentQuery = Static<typeof IncidentQuery>;

const byId = {
  id: {
    description: 'Work order id (WO-CMP-…); the complaint id (CMP-…) is accepted too',
    pattern: '^(WO-)?CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$',
  },
};
const incidentId = { id: { description: 'Incident id (INC-<transformer area>-<window start>)' } };

const FIELD_ROLES = ['field_staff', 'supervisor'] as const;

/** The query parameters of a paged list. */
const pageParams = (items: string) => ({
  limit: {
    description: 'Page size, 1–200 (default 50)',
    schema: { type: 'integer', minimum: 1, maximum: 200 },
  },
  offset: { description: `${items} to skip (default 0)`, schema: { type: 'integer', minimum: 0 } },
});
const common = {
  400: { description: 'Invalid body: the errors name each field' },
  401: { description: 'No or bad token' },
  403: { description: 'Role not allowed, or field staff of another team' },
  404: { description: 'No such work order' },
};
const transition = {
  ...common,
  200: {
    description: 'The work order after the change (a retried call answers the same)',
    schema: WorkOrderView,
  },
  409: { description: 'Not allowed from the current status; the detail says what must happen first' },
};

function workOrderAction(
  path: string,
  operationId: string,
  summary: string,
  roles: readonly ('field_staff' | 'manager' | 'supervisor')[],
  request: TSchema,
): EndpointSpec {
  return {
    service: 'resolution',
    method: 'post',
    path: `/v1/work-orders/{id}/${path}`,
    operationId,
    summary,
    auth: { kind: 'bearer', roles: [...roles] },
    pathParams: byId,
    request,
    responses: transition,
  };
}

export const RESOLUTION_ENDPOINTS: EndpointSpec[] = [
  {
    service: 'resolution',
    method: 'get',
    path: '/v1/work-orders',
    operationId: 'listWorkOrders',
    summary: 'List work orders, newest first, filtered and paginated; field staff see their own team only',
    auth: { kind: 'bearer', roles: ['field_staff', 'manager', 'supervisor', 'ops'] },
    query: {
      team: { description: 'Resolving team', schema: { type: 'string', enum: [...TEAMS] } },
      status: { description: 'Lifecycle status', schema: { type: 'string', enum: [...WORK_ORDER_STATUSES] } },
      grade: { description: 'Grade', schema: { type: 'string', enum: [...GRADES] } },
      overdue: {
        description: 'true: only orders with a missed open time limit',
        schema: { type: 'boolean' },
      },
      incidentId: { description: 'Orders linked to this incident', schema: { type: 'string' } },
      assigneeId: { description: 'Orders assigned to this staff member', schema: { type: 'string' } },
      ...pageParams('Orders'),
    },
    responses: {
      200: { description: 'One page', schema: WorkOrderPage },
      400: { description: 'Unknown filter or value' },
      401: common[401],
      403: { description: 'Field staff asking for another team' },
    },
  },
  {
    service: 'resolution',
    method: 'get',
    path: '/v1/work-orders/{id}',
    operationId: 'getWorkOrder',
    summary: 'One work order with its time limits, escalations and full history (who, when, why)',
    auth: { kind: 'bearer', roles: ['field_staff', 'manager', 'supervisor', 'ops'] },
    pathParams: byId,
    responses: {
      200: { description: 'The work order', schema: WorkOrderView },
      401: common[401],
      403: common[403],
      404: common[404],
    },
  },
  workOrderAction(
    'accept',
    'acceptWorkOrder',
    'The assignee accepts the order (ends the dispatch limit)',
    FIELD_ROLES,
    WorkOrderNote,
  ),
  workOrderAction(
    'contact',
    'recordCustomerContact',
    'The customer was contacted (ends the first-contact limit)',
    FIELD_ROLES,
    WorkOrderContact,
  ),
  workOrderAction(
    'on-site',
    'recordOnSite',
    'The crew is on site (ends the on-site limit)',
    FIELD_ROLES,
    WorkOrderNote,
  ),
  workOrderAction(
    'resolve',
    'resolveWorkOrder',
    'Resolve: asset owner, work done and code; the charge decision follows; emits complaints.resolved.v1',
    FIELD_ROLES,
    WorkOrderResolution,
  ),
  workOrderAction(
    'pause',
    'pauseWorkOrder',
    'Stop the clock while waiting on the customer',
    FIELD_ROLES,
    WorkOrderPause,
  ),
  workOrderAction(
    'resume',
    'resumeWorkOrder',
    'Restart the clock; the paused time extends the open deadlines',
    FIELD_ROLES,
    WorkOrderNote,
  ),
  workOrderAction(
    'reassign',
    'reassignWorkOrder',
    'A manager gives the order to another staff member or team',
    ['manager', 'supervisor'],
    WorkOrderReassignment,
  ),
  workOrderAction(
    'escalate',
    'escalateWorkOrder',
    'A supervisor takes the order under supervision (督办)',
    ['supervisor'],
    WorkOrderEscalation,
  ),
  workOrderAction(
    'terminate',
    'terminateWorkOrder',
    'A supervisor ends a case whose demands exceed regulations (服务终止); emits complaints.resolved.v1 with terminated: true',
    ['supervisor'],
    WorkOrderTermination,
  ),
  {
    service: 'resolution',
    method: 'get',
    path: '/v1/incidents',
    operationId: 'listIncidents',
    summary: 'List mass-outage incidents, the most recent last complaint first, with their complaint counts',
    auth: { kind: 'bearer', roles: ['field_staff', 'manager', 'supervisor', 'ops'] },
    query: {
      status: {
        description: 'open, resolving or resolved',
        schema: { type: 'string', enum: [...INCIDENT_STATUSES] },
      },
      team: { description: 'Resolving team', schema: { type: 'string', enum: [...TEAMS] } },
      transformerArea: { description: 'Transformer area (台区)', schema: { type: 'string' } },
      ...pageParams('Incidents'),
    },
    responses: {
      200: { description: 'One page', schema: IncidentPage },
      400: { description: 'Unknown filter or value' },
      401: common[401],
      403: common[403],
    },
  },
  {
    service: 'resolution',
    method: 'get',
    path: '/v1/incidents/{id}',
    operationId: 'getIncident',
    summary: 'A mass-outage incident with its linked complaints',
    auth: { kind: 'bearer', roles: ['field_staff', 'manager', 'supervisor', 'ops'] },
    pathParams: incidentId,
    responses: {
      200: { description: 'The incident', schema: IncidentView },
      401: common[401],
      404: { description: 'No such incident' },
    },
  },
  {
    service: 'resolution',
    method: 'post',
    path: '/v1/incidents/{id}/link',
    operationId: 'linkToIncident',
    summary: 'A supervisor links an open work order to an open incident by hand',
    auth: { kind: 'bearer', roles: ['supervisor'] },
    pathParams: incidentId,
    request: IncidentLink,
    responses: {
      ...common,
      200: { description: 'The incident after the change', schema: IncidentView },
      409: { description: 'The incident or the order is no longer open' },
    },
  },
  {
    service: 'resolution',
    method: 'post',
    path: '/v1/incidents/{id}/unlink',
    operationId: 'unlinkFromIncident',
    summary: 'A supervisor removes a work order from an incident',
    auth: { kind: 'bearer', roles: ['supervisor'] },
    pathParams: incidentId,
    request: IncidentLink,
    responses: {
      ...common,
      200: { description: 'The incident after the change', schema: IncidentView },
      409: { description: 'The order is not linked to this incident' },
    },
  },
  {
    service: 'resolution',
    method: 'post',
    path: '/v1/incidents/{id}/resolve',
    operationId: 'resolveIncident',
    summary:
      'Resolve the incident: every linked open order is resolved with the same work and emits its own complaints.resolved.v1',
    auth: { kind: 'bearer', roles: ['field_staff', 'supervisor'] },
    pathParams: incidentId,
    request: IncidentResolution,
    responses: {
      ...common,
      200: {
        description: 'The resolved incident (a retry finishes an interrupted run)',
        schema: IncidentView,
      },
    },
  },
];
