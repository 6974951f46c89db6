// Routing use cases: route a received complaint once, reclassify it on a supervisor's word, remember closures for repeats.
import {
  SUBTYPES_BY_ROOT_CAUSE,
  TOPICS,
  type ComplaintReceived,
  type ComplaintRouted,
  type ReclassifyRequest,
} from '@complaints/contracts';
import { createEvent, problems, toOutboxEntry, type OutboxEntry } from '@complaints/platform';
import type { CustomerDirectory } from '../data-access/customer-directory';
import type { RoutingDocument, RoutingRepository } from '../data-access/routing-repository';
import { classify } from './classification';
import { decideRouting, type RoutingPolicy } from './decide-routing';

export const SOURCE = '/services/routing';

export interface RoutingDeps {
  repository: RoutingRepository;
  directory: CustomerDirectory;
  policy: RoutingPolicy;
  reviewThreshold: number;
  repeatWindowDays: number;
  now: () => Date;
  /** Called after a write that left events in the outbox. */
  published: (complaintId: string, entries: OutboxEntry[]) => void;
}

const DAY_MS = 86_400_000;

function routedEvent(decision: ComplaintRouted, now: Date) {
  // One id per complaint and revision: a re-emitted decision dedupes downstream.
  return createEvent({
    topic: TOPICS.routed,
    subject: decision.complaintId,
    source: SOURCE,
    id: `${decision.complaintId}/routed/${decision.revision}`,
    data: decision,
    time: now,
  });
}

async function repeatsOf(
  deps: RoutingDeps,
  complaint: ComplaintReceived,
  rootCause: ComplaintRouted['classification']['rootCause'],
) {
  const since = new Date(new Date(complaint.receivedAt).getTime() - deps.repeatWindowDays * DAY_MS);
  const previousComplaintIds = await deps.repository.closedRepeats(
    complaint.customer.accountNo,
    rootCause,
    since,
    complaint.complaintId,
  );
  return { count: previousComplaintIds.length, previousComplaintIds };
}

/**
 * Routes a complaint the first time it is seen; a redelivered received event changes nothing: the decision's
 * insert is keyed by the complaint id, so a second one is refused and nothing is published.
 */
export async function routeReceived(
  deps: RoutingDeps,
  complaint: ComplaintReceived,
): Promise<'routed' | 'duplicate'> {
  const now = deps.now();
  const result = classify(complaint.text, { reviewThreshold: deps.reviewThreshold });
  const classification = {
    rootCause: result.rootCause,
    subtype: result.subtype,
    urgent: result.urgent,
    confidence: Math.round(result.confidence * 1000) / 1000,
    needsReview: result.needsReview,
    reasons: result.reasons.slice(0, 50).map((r) => r.slice(0, 500)),
    decidedBy: 'classifier',
  };
  const [customer, repeat] = await Promise.all([
    deps.directory.get(complaint.customer.accountNo),
    repeatsOf(deps, complaint, classification.rootCause),
  ]);
  const decision = decideRouting(
    { complaint, classification, customer, repeat, revision: 1, now },
    deps.policy,
  );
  const entry = toOutboxEntry(routedEvent(decision, now));
  const doc: RoutingDocument = {
    _id: complaint.complaintId,
    accountNo: complaint.customer.accountNo,
    rootCause: classification.rootCause,
    complaint,
    decision,
    revision: 1,
    history: [
      {
        revision: 1,
        at: now,
        by: 'classifier',
        rootCause: classification.rootCause,
        subtype: classification.subtype,
        grade: decision.grade,
      },
    ],
    routedAt: now,
    outbox: [entry],
  };
  if (!(await deps.repository.insert(doc))) return 'duplicate';
  deps.published(doc._id, doc.outbox);
  return 'routed';
}

/** A supervisor's correction: recorded in the history, counted, and a new routed event with the next revision. */
export async function reclassify(
  deps: RoutingDeps,
  complaintId: string,
  request: ReclassifyRequest,
  staffId: string,
): Promise<RoutingDocument> {
  const allowed = SUBTYPES_BY_ROOT_CAUSE[request.rootCause] as readonly string[];
  if (!allowed.includes(request.subtype)) {
    throw problems.validation(
      [
        {
          field: '/subtype',
          message: `must be one of ${allowed.join(', ')} for root cause ${request.rootCause}`,
        },
      ],
      `Subtype ${request.subtype} does not belong to root cause ${request.rootCause}.`,
    );
  }
  const current = await deps.repository.find(complaintId);
  if (!current) throw problems.notFound(`Complaint ${complaintId} has not been routed.`);
  const now = deps.now();
  const previous = current.decision.classification;
  const classification = {
    rootCause: request.rootCause,
    subtype: request.subtype,
    urgent: request.urgent ?? previous.urgent,
    confidence: 1,
    needsReview: false,
    reasons: [
      `reclassified by ${staffId}: ${previous.rootCause}/${previous.subtype} → ${request.rootCause}/${request.subtype} (${request.reason.slice(0, 300)})`,
      ...previous.reasons.slice(0, 40),
    ],
    decidedBy: `staff:${staffId}`,
  };
  const customer = await deps.directory.get(current.accountNo);
  const repeat = await repeatsOf(deps, current.complaint, classification.rootCause);
  const decision = decideRouting(
    { complaint: current.complaint, classification, customer, repeat, revision: current.revision + 1, now },
    deps.policy,
  );
  const entry = toOutboxEntry(routedEvent(decision, now));
  const history = {
    revision: decision.revision,
    at: now,
    by: `staff:${staffId}`,
    rootCause: request.rootCause,
    subtype: request.subtype,
    grade: decision.grade,
    reason: request.reason,
  };
  if (!(await deps.repository.saveRevision(complaintId, current.revision, decision, history, entry))) {
    throw problems.conflict(`Complaint ${complaintId} was changed meanwhile; reload and retry.`);
  }
  deps.published(complaintId, [entry]);
  return { ...current, decision, revision: decision.revision, history: [...current.history, history] };
}
