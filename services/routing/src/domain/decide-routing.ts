// The routing decision: classification + customer + history → manager, team, grade and deadlines (the routed event's data).
import type { Classification, ComplaintReceived, ComplaintRouted } from '@complaints/contracts';
import type { BusinessCalendar } from './business-calendar';
import type { CustomerRecord } from './customer';
import { gradeComplaint } from './grade-rules';
import { detectRiskSignals } from './risk-signals';
import { MANAGER_ROLE_BY_SEGMENT, TEAM_BY_ROOT_CAUSE } from './routing-tables';
import { deadlinesFor, type SlaTable } from './sla-table';

export interface RoutingPolicy {
  sla: SlaTable;
  calendar: BusinessCalendar;
  /** Earlier closed complaints on the same matter from which leadership supervises (督办). */
  supervisionThreshold: number;
}

export interface RoutingInput {
  complaint: ComplaintReceived;
  classification: Classification & { decidedBy: string };
  customer: CustomerRecord;
  repeat: { count: number; previousComplaintIds: string[] };
  revision: number;
  now: Date;
}

export function decideRouting(input: RoutingInput, policy: RoutingPolicy): ComplaintRouted {
  const { complaint, classification, customer } = input;
  // What the partner saw on site beats the master data; unknown areas count as urban (the strictest limits).
  const areaType = complaint.location?.areaType ?? customer.areaType ?? 'urban';
  const transformerArea = complaint.location?.transformerArea ?? customer.transformerArea;
  const role = MANAGER_ROLE_BY_SEGMENT[customer.segment][areaType];
  const managerId =
    customer.managerId ??
    (role === 'transformer_area_manager' && transformerArea ? `TAM-${transformerArea}` : undefined);
  const signals = detectRiskSignals(complaint.text, complaint.channel);
  const graded = gradeComplaint({
    urgent: classification.urgent,
    segment: customer.segment,
    signals,
    repeatCount: input.repeat.count,
    supervisionThreshold: policy.supervisionThreshold,
  });
  const location = {
    ...(complaint.location ?? {}),
    ...(transformerArea ? { transformerArea } : {}),
    areaType,
  };
  return {
    complaintId: complaint.complaintId,
    revision: input.revision,
    channel: complaint.channel,
    accountNo: complaint.customer.accountNo,
    classification,
    segment: customer.segment,
    vulnerable: customer.vulnerable,
    areaType,
    location,
    accountManager: { role, ...(managerId ? { managerId } : {}) },
    team: TEAM_BY_ROOT_CAUSE[classification.rootCause],
    grade: graded.grade,
    gradeReasons: [...signals.reasons, ...graded.reasons],
    repeat: {
      count: input.repeat.count,
      supervision: input.repeat.count >= policy.supervisionThreshold,
      previousComplaintIds: input.repeat.previousComplaintIds,
    },
    deadlines: deadlinesFor(
      new Date(complaint.receivedAt),
      { rootCause: classification.rootCause, urgent: classification.urgent, areaType },
      policy.sla,
      policy.calendar,
    ),
    routedAt: input.now.toISOString(),
  };
}
