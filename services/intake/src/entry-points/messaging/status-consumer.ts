// Follows every lifecycle event: keeps each complaint's status and latest routing current and records its timeline step.
import {
  ALL_TOPICS,
  TOPICS,
  type CloudEvent,
  type ComplaintReopened,
  type ComplaintResolved,
  type ComplaintRouted,
  type TopicName,
} from '@complaints/contracts';
import type { EventHandler } from '@complaints/platform';
import type { ComplaintRepository } from '../../data-access/complaint-repository';
import type { TimelineRepository } from '../../data-access/timeline-repository';
import { STATUS_BY_TOPIC } from '../../domain/complaint-status';
import { TIMELINE_STEPS } from '../../domain/timeline-steps';

export function lifecycleHandlers(
  complaints: ComplaintRepository,
  timeline: TimelineRepository,
): Record<string, EventHandler> {
  const applyToComplaint = async (event: CloudEvent<unknown>) => {
    const topic = event.type as TopicName;
    if (topic === TOPICS.routed) {
      const { data } = event as CloudEvent<ComplaintRouted>;
      await complaints.applyRouting(event.subject, {
        rootCause: data.classification.rootCause,
        subtype: data.classification.subtype,
        grade: data.grade,
        team: data.team,
        urgent: data.classification.urgent,
        revision: data.revision,
      });
    }
    if (topic === TOPICS.reopened) {
      const { data } = event as CloudEvent<ComplaintReopened>;
      await complaints.applyReopenGrade(event.subject, data.grade, data.reopenCount);
    }
    let status = STATUS_BY_TOPIC[topic];
    if (!status) return;
    if (topic === TOPICS.resolved && (event as CloudEvent<ComplaintResolved>).data.terminated)
      status = 'terminated';
    // Redelivered or late events carry an older time and change nothing.
    await complaints.applyStatus(event.subject, status, new Date(event.time));
  };
  const handle: EventHandler = async (event, meta) => {
    const topic = event.type as TopicName;
    const step = TIMELINE_STEPS[topic](event);
    // The step and the complaint's own fields are independent writes: both in flight at once.
    await Promise.all([
      timeline.record({
        _id: event.id,
        complaintId: event.subject,
        topic,
        ...step,
        traceId: meta.traceparent?.split('-')[1],
        recordedAt: new Date(),
      }),
      applyToComplaint(event),
    ]);
  };
  return Object.fromEntries(ALL_TOPICS.map((topic) => [topic, handle]));
}
