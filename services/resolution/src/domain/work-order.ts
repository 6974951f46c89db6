// The work-order rules as plain functions: each decision returns the change to store and the events it emits.
import {
  TOPICS,
  type AssetOwner,
  type CloudEvent,
  type ComplaintClosed,
  type ComplaintReopened,
  type ComplaintResolved,
  type ComplaintRouted,
  type SlaBreached,
  type SlaLimit,
  type SlaWarning,
  type StaffRef,
  type Team,
} from '@complaints/contracts';
import { createEvent, problems } from '@complaints/platform';
import type {
  Escalation,
  HistoryEntry,
  Resolution,
  WorkOrderDocument,
} from '../data-access/work-order-model';
import { decideCharge, TERMINATED_CHARGE } from './charge-rules';
import {
  completeLimits,
  elapsedRatio,
  extendForPause,
  redefineLimits,
  resolvedOnTime,
  restartLimits,
  startLimits,
} from './sla';
import { checkTransition, isOpen, TRANSITIONS, type WorkOrderAction } from './transitions';

export const SOURCE = '/services/resolution';

export const workOrderIdFor = (complaintId: string) => `WO-${complaintId}`;

/** Everything one write stores: new field values, history, escalation, events for the outbox. */
export interface Change {
  set: Partial<WorkOrderDocument>;
  history: HistoryEntry[];
  events: Array<CloudEvent<unknown>>;
  escalation?: Escalation;
  /** Id of the consumed event this change applies, recorded so a redelivery is a no-op. */
  appliedEvent?: string;
}

/** A consumed event that changes nothing, and why (logged). */
export interface Skip {
  skip: string;
}

export const isSkip = (decision: Change | Skip): decision is Skip => 'skip' in decision;

export interface Actor {
  staffId: string;
  role: string;
  team?: string;
}

export interface ResolutionInput {
  assetOwner: AssetOwner;
  workDone: string;
  resolutionCode: string;
  note?: string;
}

export type StaffCommand =
  | { action: 'accept'; note?: string }
  | { action: 'contact'; method: string; note?: string }
  | { action: 'arrive'; note?: string }
  | { action: 'resolve'; resolution: ResolutionInput }
  | { action: 'reassign'; assigneeId: string; team?: Team; reason: string }
  | { action: 'escalate'; reason: string }
  | { action: 'terminate'; reason: string; assetOwner?: AssetOwner }
  | { action: 'pause'; reason: string }
  | { action: 'resume'; note?: string }
  | {
      action: 'resolve_with_incident';
      incidentId: string;
      resolution: ResolutionInput;
      resolvedAt: Date;
      resolvedBy: StaffRef;
    }
  | { action: 'link_incident'; incidentId: string; reason?: string }
  | { action: 'unlink_incident'; incidentId: string; reason?: string };

// ---------- created and assigned from routing ----------

export function newWorkOrder(
  event: CloudEvent<ComplaintRouted>,
  warningRatio: number,
  incidentId: string | null,
  now: Date,
): WorkOrderDocument {
  const routed = event.data;
  const routedAt = new Date(routed.routedAt);
  const by = 'routing';
  const history: HistoryEntry[] = [
    { at: now, action: 'create', to: 'created', by, attempt: 1, details: { revision: routed.revision } },
    {
      at: now,
      action: 'assign',
      from: 'created',
      to: 'assigned',
      by,
      attempt: 1,
      details: { team: routed.team, accountManager: routed.accountManager, grade: routed.grade },
    },
  ];
  if (incidentId)
    history.push({
      at: now,
      action: 'link_incident',
      from: 'assigned',
      to: 'assigned',
      by,
      attempt: 1,
      reason: 'interruption in the same transformer area',
      details: { incidentId },
    });
  return {
    _id: workOrderIdFor(routed.complaintId),
    complaintId: routed.complaintId,
    version: 0,
    status: 'assigned',
    attempt: 1,
    revision: routed.revision,
    channel: routed.channel,
    accountNo: routed.accountNo,
    rootCause: routed.classification.rootCause,
    subtype: routed.classification.subtype,
    urgent: routed.classification.urgent,
    segment: routed.segment,
    vulnerable: routed.vulnerable,
    areaType: routed.areaType,
    ...(routed.location?.transformerArea ? { transformerArea: routed.location.transformerArea } : {}),
    team: routed.team,
    grade: routed.grade,
    accountManager: { ...routed.accountManager },
    assigneeId: null,
    routedAt,
    sla: startLimits(routed.deadlines, routedAt, warningRatio),
    pausedAt: null,
    incidentId,
    supervision: routed.repeat.supervision,
    escalations: [],
    resolution: null,
    history,
    appliedEvents: [event.id],
    createdAt: now,
    updatedAt: now,
    outbox: [],
  };
}

/** A later routing revision (reclassification) updates an open order; an older one changes nothing. */
export function reclassify(
  order: WorkOrderDocument,
  event: CloudEvent<ComplaintRouted>,
  warningRatio: number,
  now: Date,
): Change | Skip {
  const routed = event.data;
  if (order.appliedEvents.includes(event.id)) return { skip: 'event already applied' };
  if (routed.revision <= order.revision)
    return { skip: `revision ${routed.revision} is not newer than applied revision ${order.revision}` };
  const classification = {
    revision: routed.revision,
    rootCause: routed.classification.rootCause,
    subtype: routed.classification.subtype,
    urgent: routed.classification.urgent,
  };
  const entry: HistoryEntry = {
    at: now,
    action: 'reclassify',
    from: order.status,
    to: order.status,
    by: 'routing',
    attempt: order.attempt,
    details: { ...classification, team: routed.team, grade: routed.grade },
  };
  if (!isOpen(order.status)) {
    // The order is done: keep the record of what it was about, but its team and clock are history.
    return {
      set: { ...classification },
      history: [{ ...entry, reason: `order is ${order.status}: team and deadlines unchanged` }],
      events: [],
      appliedEvent: event.id,
    };
  }
  const teamChanged = routed.team !== order.team;
  return {
    set: {
      ...classification,
      team: routed.team,
      grade: routed.grade,
      accountManager: { ...routed.accountManager },
      segment: routed.segment,
      vulnerable: routed.vulnerable,
      areaType: routed.areaType,
      supervision: order.supervision || routed.repeat.supervision,
      ...(routed.location?.transformerArea ? { transformerArea: routed.location.transformerArea } : {}),
      ...(teamChanged ? { assigneeId: null } : {}),
      sla: redefineLimits(order.sla, routed.deadlines, order.routedAt, warningRatio),
    },
    history: [entry],
    events: [],
    appliedEvent: event.id,
  };
}

// ---------- feedback: reopened and closed ----------

/** A dissatisfied callback reopens the order with the raised grade and fresh time limits. */
export function reopen(
  order: WorkOrderDocument,
  event: CloudEvent<ComplaintReopened>,
  warningRatio: number,
): Change | Skip {
  if (order.appliedEvents.includes(event.id)) return { skip: 'event already applied' };
  const check = checkTransition('reopen', order.status);
  if (!check.ok) return { skip: check.message };
  const at = new Date(event.data.reopenedAt);
  const attempt = order.attempt + 1;
  return {
    set: {
      status: 'reopened',
      attempt,
      grade: event.data.grade,
      supervision: order.supervision || event.data.supervision,
      sla: restartLimits(order.sla, at, warningRatio),
      pausedAt: null,
      incidentId: null,
      resolution: null,
    },
    history: [
      {
        at,
        action: 'reopen',
        from: order.status,
        to: 'reopened',
        by: event.data.recordedBy,
        reason: event.data.reason,
        attempt,
        details: {
          callbackId: event.data.callbackId,
          previousGrade: event.data.previousGrade,
          grade: event.data.grade,
          reopenCount: event.data.reopenCount,
          previousResolution: order.resolution,
        },
      },
    ],
    events: [],
    appliedEvent: event.id,
  };
}

export function close(order: WorkOrderDocument, event: CloudEvent<ComplaintClosed>): Change | Skip {
  if (order.appliedEvents.includes(event.id)) return { skip: 'event already applied' };
  const check = checkTransition('close', order.status);
  if (!check.ok) return { skip: check.message };
  return {
    set: { status: 'closed' },
    history: [
      {
        at: new Date(event.data.closedAt),
        action: 'close',
        from: order.status,
        to: 'closed',
        by: event.data.recordedBy,
        attempt: order.attempt,
        details: {
          callbackId: event.data.callbackId,
          outcome: event.data.outcome,
          rating: event.data.rating,
        },
      },
    ],
    events: [],
    appliedEvent: event.id,
  };
}

// ---------- staff actions ----------

function lastStatusChange(order: WorkOrderDocument): HistoryEntry | undefined {
  return order.history.findLast((h) => h.from !== h.to && h.attempt === order.attempt);
}

/** True when this command already happened: the retry answers with the current order. */
function isReplay(order: WorkOrderDocument, command: StaffCommand): boolean {
  const target = TRANSITIONS[command.action].to;
  if (target !== 'unchanged') {
    const last = lastStatusChange(order);
    const sameAction =
      last?.action === command.action ||
      (command.action === 'resolve_with_incident' && order.status === 'resolved');
    return order.status === target && sameAction;
  }
  switch (command.action) {
    case 'pause':
      return order.pausedAt !== null;
    case 'resume':
      return order.pausedAt === null;
    case 'reassign':
      return order.assigneeId === command.assigneeId && (!command.team || command.team === order.team);
    case 'escalate': {
      const last = order.escalations.at(-1);
      return last?.reason === command.reason;
    }
    case 'link_incident':
      return order.incidentId === command.incidentId;
    case 'unlink_incident':
      return (
        order.incidentId === null &&
        order.history.at(-1)?.action === 'unlink_incident' &&
        order.history.at(-1)?.details?.incidentId === command.incidentId
      );
    default:
      return false;
  }
}

/**
 * Decides a staff action: the change to store, `null` when it is a retry of what already happened, or a
 * 409 saying why it is not allowed now.
 */
export function decideStaffAction(
  order: WorkOrderDocument,
  command: StaffCommand,
  actor: Actor,
  now: Date,
): Change | null {
  // An order unlinked (or linked elsewhere) since the incident's walk listed it is not the incident's to resolve.
  if (command.action === 'resolve_with_incident' && order.incidentId !== command.incidentId) return null;
  if (isReplay(order, command)) return null;
  const check = checkTransition(command.action, order.status);
  if (!check.ok) throw problems.conflict(`${order._id}: ${check.message}`);
  const entry = (extra: Partial<HistoryEntry> = {}): HistoryEntry =>
    withoutUndefined({
      at: now,
      action: command.action,
      from: order.status,
      to: check.to,
      by: actor.staffId,
      role: actor.role,
      attempt: order.attempt,
      ...extra,
    });
  const limitsAfter = (action: WorkOrderAction) => completeLimits(order.sla, action, now);

  switch (command.action) {
    case 'accept':
      return {
        set: {
          status: check.to,
          sla: limitsAfter('accept'),
          ...(actor.role === 'field_staff' ? { assigneeId: actor.staffId } : {}),
        },
        history: [entry({ ...(command.note ? { reason: command.note } : {}) })],
        events: [],
      };
    case 'contact':
      return {
        set: { status: check.to, sla: limitsAfter('contact') },
        history: [
          entry({ details: { method: command.method }, ...(command.note ? { reason: command.note } : {}) }),
        ],
        events: [],
      };
    case 'arrive':
      return {
        set: { status: check.to, sla: limitsAfter('arrive') },
        history: [entry({ ...(command.note ? { reason: command.note } : {}) })],
        events: [],
      };
    case 'resolve':
    case 'resolve_with_incident':
    case 'terminate': {
      const resolution = resolutionOf(order, command, actor, now);
      return {
        set: {
          status: check.to,
          sla: completeLimits(order.sla, command.action, resolution.resolvedAt),
          pausedAt: null,
          resolution,
        },
        history: [
          entry({
            at: command.action === 'resolve_with_incident' ? now : resolution.resolvedAt,
            reason: command.action === 'terminate' ? command.reason : command.resolution.note,
            details: {
              resolutionCode: resolution.resolutionCode,
              assetOwner: resolution.assetOwner,
              charge: resolution.charge,
              onTime: resolution.onTime,
              ...(resolution.incidentId ? { incidentId: resolution.incidentId } : {}),
            },
          }),
        ],
        events: [resolvedEvent(order, resolution)],
      };
    }
    case 'reassign':
      return {
        set: {
          assigneeId: command.assigneeId,
          ...(command.team ? { team: command.team } : {}),
          sla: limitsAfter('reassign'),
        },
        history: [
          entry({
            reason: command.reason,
            details: {
              assigneeId: command.assigneeId,
              previousAssigneeId: order.assigneeId,
              team: command.team ?? order.team,
              previousTeam: order.team,
            },
          }),
        ],
        events: [],
      };
    case 'escalate':
      return {
        set: { supervision: true },
        history: [entry({ reason: command.reason })],
        events: [],
        escalation: { at: now, by: actor.staffId, to: actor.staffId, reason: command.reason },
      };
    case 'pause':
      return {
        set: { pausedAt: now },
        history: [entry({ reason: command.reason })],
        events: [],
      };
    case 'resume': {
      const pausedMs = now.getTime() - (order.pausedAt as Date).getTime();
      return {
        set: { pausedAt: null, sla: extendForPause(order.sla, Math.max(0, pausedMs)) },
        history: [entry({ details: { pausedMs }, ...(command.note ? { reason: command.note } : {}) })],
        events: [],
      };
    }
    case 'link_incident':
      return {
        set: { incidentId: command.incidentId },
        history: [
          entry({
            details: { incidentId: command.incidentId, previousIncidentId: order.incidentId },
            ...(command.reason ? { reason: command.reason } : {}),
          }),
        ],
        events: [],
      };
    case 'unlink_incident':
      if (order.incidentId !== command.incidentId)
        throw problems.conflict(`${order._id} is not linked to incident ${command.incidentId}.`);
      return {
        set: { incidentId: null },
        history: [
          entry({
            details: { incidentId: command.incidentId },
            ...(command.reason ? { reason: command.reason } : {}),
          }),
        ],
        events: [],
      };
  }
}

function resolutionOf(
  order: WorkOrderDocument,
  command: Extract<StaffCommand, { action: 'resolve' | 'resolve_with_incident' | 'terminate' }>,
  actor: Actor,
  now: Date,
): Resolution {
  const self: StaffRef = { staffId: actor.staffId, ...(actor.team ? { team: actor.team } : {}) };
  if (command.action === 'terminate') {
    return {
      assetOwner: command.assetOwner ?? 'utility',
      workDone: command.reason,
      resolutionCode: 'service_terminated',
      charge: { ...TERMINATED_CHARGE },
      resolvedAt: now,
      resolvedBy: self,
      onTime: resolvedOnTime(order.sla, now),
      terminated: true,
      ...(order.incidentId ? { incidentId: order.incidentId } : {}),
    };
  }
  const at = command.action === 'resolve_with_incident' ? command.resolvedAt : now;
  const { assetOwner, workDone, resolutionCode } = command.resolution;
  return {
    assetOwner,
    workDone,
    resolutionCode,
    charge: decideCharge(assetOwner, order.vulnerable),
    resolvedAt: at,
    resolvedBy: command.action === 'resolve_with_incident' ? command.resolvedBy : self,
    onTime: resolvedOnTime(order.sla, at),
    terminated: false,
    ...(command.action === 'resolve_with_incident'
      ? { incidentId: command.incidentId }
      : order.incidentId
        ? { incidentId: order.incidentId }
        : {}),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ---------- events ----------

export function resolvedEvent(
  order: WorkOrderDocument,
  resolution: Resolution,
): CloudEvent<ComplaintResolved> {
  const data: ComplaintResolved = {
    complaintId: order.complaintId,
    workOrderId: order._id,
    attempt: order.attempt,
    channel: order.channel,
    accountNo: order.accountNo,
    rootCause: order.rootCause,
    subtype: order.subtype,
    grade: order.grade,
    resolvedAt: resolution.resolvedAt.toISOString(),
    resolvedBy: resolution.resolvedBy,
    resolutionCode: resolution.resolutionCode,
    workDone: resolution.workDone,
    assetOwner: resolution.assetOwner,
    charge: resolution.charge,
    onTime: resolution.onTime,
    ...(resolution.incidentId ? { incidentId: resolution.incidentId } : {}),
    terminated: resolution.terminated,
  };
  // One resolution per attempt: a re-emission carries the same id and dedupes downstream.
  return createEvent({
    topic: TOPICS.resolved,
    subject: order.complaintId,
    source: SOURCE,
    id: `${order._id}/resolved/${order.attempt}`,
    data,
    time: resolution.resolvedAt,
  });
}

export function slaWarningEvent(
  order: WorkOrderDocument,
  limit: SlaLimit,
  now: Date,
): CloudEvent<SlaWarning> {
  const state = order.sla[limit]!;
  return createEvent({
    topic: TOPICS.slaWarning,
    subject: order.complaintId,
    source: SOURCE,
    id: `${order._id}/sla-warning/${limit}/${order.attempt}`,
    data: {
      complaintId: order.complaintId,
      workOrderId: order._id,
      limit,
      deadline: state.deadline.toISOString(),
      grade: order.grade,
      team: order.team,
      elapsedRatio: elapsedRatio(state, now),
      warnedAt: now.toISOString(),
    },
    time: now,
  });
}

export function slaBreachedEvent(
  order: WorkOrderDocument,
  limit: SlaLimit,
  escalatedTo: string,
  now: Date,
): CloudEvent<SlaBreached> {
  const state = order.sla[limit]!;
  return createEvent({
    topic: TOPICS.slaBreached,
    subject: order.complaintId,
    source: SOURCE,
    id: `${order._id}/sla-breached/${limit}/${order.attempt}`,
    data: {
      complaintId: order.complaintId,
      workOrderId: order._id,
      limit,
      deadline: state.deadline.toISOString(),
      grade: order.grade,
      team: order.team,
      breachedAt: state.deadline.toISOString(),
      escalatedTo,
    },
    time: now,
  });
}
