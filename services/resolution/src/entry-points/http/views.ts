// Stored documents as the API shows them (contracts/src/http/resolution.ts): ISO times, no internals.
import {
  SLA_LIMITS,
  type IncidentSummary,
  type IncidentView,
  type WorkOrderView,
} from '@complaints/contracts';
import type { IncidentDocument } from '../../data-access/incident-model';
import type { WorkOrderDocument } from '../../data-access/work-order-model';
import { isOverdue } from '../../domain/sla';
import { isOpen } from '../../domain/transitions';

const iso = (date: Date | string) => new Date(date).toISOString();
const isoOrNull = (date: Date | string | null | undefined) => (date ? iso(date) : null);

export function workOrderView(order: WorkOrderDocument, now: Date, withHistory: boolean): WorkOrderView {
  const sla: WorkOrderView['sla'] = {};
  for (const limit of SLA_LIMITS) {
    const state = order.sla[limit];
    if (!state) continue;
    sla[limit] = {
      startedAt: iso(state.startedAt),
      deadline: iso(state.deadline),
      warnAt: iso(state.warnAt),
      pausedMs: state.pausedMs,
      warnedAt: isoOrNull(state.warnedAt),
      breachedAt: isoOrNull(state.breachedAt),
      doneAt: isoOrNull(state.doneAt),
    };
  }
  const { resolution } = order;
  return {
    id: order._id,
    complaintId: order.complaintId,
    status: order.status,
    attempt: order.attempt,
    revision: order.revision,
    channel: order.channel,
    accountNo: order.accountNo,
    rootCause: order.rootCause,
    subtype: order.subtype,
    urgent: order.urgent,
    segment: order.segment,
    vulnerable: order.vulnerable,
    areaType: order.areaType,
    ...(order.transformerArea ? { transformerArea: order.transformerArea } : {}),
    team: order.team,
    grade: order.grade,
    accountManager: order.accountManager,
    assigneeId: order.assigneeId ?? null,
    incidentId: order.incidentId ?? null,
    pausedSince: isoOrNull(order.pausedAt),
    supervision: order.supervision,
    overdue: isOpen(order.status) && isOverdue(order.sla, now, order.pausedAt !== null),
    sla,
    escalations: (order.escalations ?? []).map((e) => ({
      at: iso(e.at),
      by: e.by,
      to: e.to,
      reason: e.reason,
      ...(e.limit ? { limit: e.limit } : {}),
    })),
    resolution: resolution
      ? {
          assetOwner: resolution.assetOwner,
          workDone: resolution.workDone,
          resolutionCode: resolution.resolutionCode,
          charge: resolution.charge,
          resolvedAt: iso(resolution.resolvedAt),
          resolvedBy: resolution.resolvedBy,
          onTime: resolution.onTime,
          terminated: resolution.terminated,
          ...(resolution.incidentId ? { incidentId: resolution.incidentId } : {}),
        }
      : null,
    ...(withHistory
      ? {
          history: order.history.map((h) => ({
            ...h,
            at: iso(h.at),
          })),
        }
      : {}),
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
  };
}

export function incidentSummary(
  incident: IncidentDocument,
  counts: { complaintCount: number; openCount: number },
): IncidentSummary {
  const { resolution } = incident;
  return {
    id: incident._id,
    transformerArea: incident.transformerArea,
    team: incident.team,
    status: incident.status,
    openedAt: iso(incident.openedAt),
    lastComplaintAt: iso(incident.lastComplaintAt),
    resolution: resolution ? { ...resolution, resolvedAt: iso(resolution.resolvedAt) } : null,
    ...counts,
  };
}

export function incidentView(incident: IncidentDocument, orders: WorkOrderDocument[]): IncidentView {
  return {
    ...incidentSummary(incident, {
      complaintCount: orders.length,
      openCount: orders.filter((o) => isOpen(o.status)).length,
    }),
    workOrders: orders.map((o) => ({
      id: o._id,
      complaintId: o.complaintId,
      status: o.status,
      grade: o.grade,
    })),
  };
}
