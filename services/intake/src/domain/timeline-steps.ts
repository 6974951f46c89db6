// How each lifecycle event reads on a complaint's timeline: one table from topic to step, actor and summary.
import {
  TOPICS,
  type CloudEvent,
  type ComplaintActivity,
  type ComplaintClosed,
  type ComplaintReceived,
  type ComplaintReopened,
  type ComplaintResolved,
  type ComplaintRouted,
  type SlaBreached,
  type SlaWarning,
  type TopicName,
} from '@complaints/contracts';

export interface TimelineStep {
  at: string;
  service: string;
  step: string;
  actor: string;
  summary: string;
  details?: Record<string, unknown>;
}

type Describe = (event: CloudEvent<any>) => TimelineStep; // eslint-disable-line @typescript-eslint/no-explicit-any

export const TIMELINE_STEPS: Record<TopicName, Describe> = {
  [TOPICS.received]: ({ data, time }: CloudEvent<ComplaintReceived>) => ({
    at: data.receivedAt ?? time,
    service: 'intake',
    step: 'complaint.received',
    actor: `channel:${data.channel}`,
    summary: `Complaint received from ${data.channel}${data.externalRef ? ` (ref ${data.externalRef})` : ''}`,
  }),
  [TOPICS.routed]: ({ data }: CloudEvent<ComplaintRouted>) => ({
    at: data.routedAt,
    service: 'routing',
    step: data.revision === 1 ? 'complaint.routed' : 'complaint.reclassified',
    actor: data.classification.decidedBy,
    summary:
      `${data.revision === 1 ? 'Routed' : `Reclassified (revision ${data.revision})`}: ${data.classification.rootCause}/${data.classification.subtype}` +
      `${data.classification.urgent ? ', urgent' : ''}, grade ${data.grade}, team ${data.team}, ${data.accountManager.role}` +
      `${data.classification.needsReview ? ' — needs review' : ''}`,
    details: {
      confidence: data.classification.confidence,
      reasons: data.classification.reasons,
      gradeReasons: data.gradeReasons,
      deadlines: data.deadlines,
      repeat: data.repeat,
    },
  }),
  [TOPICS.activity]: ({ data }: CloudEvent<ComplaintActivity>) => ({
    at: data.at,
    service: data.service,
    step: data.step,
    actor: data.actor,
    summary: data.summary,
    details: {
      ...(data.workOrderId ? { workOrderId: data.workOrderId } : {}),
      ...(data.incidentId ? { incidentId: data.incidentId } : {}),
      ...(data.callbackId ? { callbackId: data.callbackId } : {}),
      ...(data.details ?? {}),
    },
  }),
  [TOPICS.slaWarning]: ({ data }: CloudEvent<SlaWarning>) => ({
    at: data.warnedAt,
    service: 'resolution',
    step: 'sla.warning',
    actor: 'system',
    summary: `Early warning: ${Math.round(data.elapsedRatio * 100)}% of the ${data.limit.replace('_', ' ')} time used (deadline ${data.deadline})`,
  }),
  [TOPICS.slaBreached]: ({ data }: CloudEvent<SlaBreached>) => ({
    at: data.breachedAt,
    service: 'resolution',
    step: 'sla.breached',
    actor: 'system',
    summary: `${data.limit.replace('_', ' ')} deadline ${data.deadline} missed; escalated to ${data.escalatedTo} (督办)`,
  }),
  [TOPICS.resolved]: ({ data }: CloudEvent<ComplaintResolved>) => ({
    at: data.resolvedAt,
    service: 'resolution',
    step: data.terminated ? 'complaint.terminated' : 'complaint.resolved',
    actor: `staff:${data.resolvedBy.staffId}`,
    summary:
      `${data.terminated ? 'Terminated (服务终止)' : 'Resolved'} (${data.resolutionCode}); ${data.assetOwner}-owned, ${data.charge.decision}` +
      `${data.onTime ? ', on time' : ', late'}${data.incidentId ? `, incident ${data.incidentId}` : ''}`,
    details: { workDone: data.workDone, workOrderId: data.workOrderId, attempt: data.attempt },
  }),
  [TOPICS.closed]: ({ data }: CloudEvent<ComplaintClosed>) => ({
    at: data.closedAt,
    service: 'feedback',
    step: 'complaint.closed',
    actor: data.recordedBy,
    summary: `Closed after callback: ${data.outcome.replace('_', ' ')}${data.rating ? `, rated ${data.rating}/5` : ''}`,
  }),
  [TOPICS.reopened]: ({ data }: CloudEvent<ComplaintReopened>) => ({
    at: data.reopenedAt,
    service: 'feedback',
    step: 'complaint.reopened',
    actor: data.recordedBy,
    summary: `Reopened: customer dissatisfied (${data.reason.slice(0, 200)}); grade ${data.previousGrade} → ${data.grade}${data.supervision ? ', under supervision' : ''}`,
  }),
};
