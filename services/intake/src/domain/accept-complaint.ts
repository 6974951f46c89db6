// Turns a validated submission into the stored complaint and its received event, and answers retries consistently.
import {
  TOPICS,
  type ComplaintAccepted,
  type ComplaintReceived,
  type ComplaintSubmission,
} from '@complaints/contracts';
import { createEvent, problems, toOutboxEntry } from '@complaints/platform';
import type { ComplaintDocument } from '../data-access/complaint-model';
import type { ComplaintRepository } from '../data-access/complaint-repository';
import { complaintIdFor, requestFingerprint } from './complaint-id';

export const SOURCE = '/services/intake';

export interface Submission {
  channel: string;
  idempotencyKey: string;
  body: ComplaintSubmission;
  now?: Date;
}

export function acceptedAnswer(doc: Pick<ComplaintDocument, '_id' | 'receivedAt'>): ComplaintAccepted {
  return {
    id: doc._id,
    status: 'received',
    receivedAt: doc.receivedAt.toISOString(),
    links: { self: `/v1/complaints/${doc._id}`, timeline: `/v1/complaints/${doc._id}/timeline` },
  };
}

export interface AcceptOutcome {
  answer: ComplaintAccepted;
  /** The stored document when this call created it, so its events can be relayed at once. */
  created?: ComplaintDocument;
}

export async function acceptComplaint(
  repository: ComplaintRepository,
  submission: Submission,
): Promise<AcceptOutcome> {
  const { channel, idempotencyKey, body } = submission;
  const now = submission.now ?? new Date();
  const id = complaintIdFor(channel, idempotencyKey);
  const fingerprint = requestFingerprint(body);
  const data: ComplaintReceived = {
    complaintId: id,
    channel,
    ...(body.externalRef ? { externalRef: body.externalRef } : {}),
    customer: body.customer,
    text: body.text,
    ...(body.language ? { language: body.language } : {}),
    ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}),
    ...(body.location ? { location: body.location } : {}),
    receivedAt: now.toISOString(),
  };
  // A deterministic event id: if the event is ever re-emitted, consumers see the same id and drop the copy.
  const event = createEvent({
    topic: TOPICS.received,
    subject: id,
    source: SOURCE,
    id: `${id}/received`,
    data,
    time: now,
  });
  const doc: ComplaintDocument = {
    ...body,
    _id: id,
    channel,
    idempotencyKey,
    fingerprint,
    status: 'received',
    statusAt: now,
    receivedAt: now,
    updatedAt: now,
    outbox: [toOutboxEntry(event)],
  };
  const result = await repository.insert(doc);
  if (result.inserted) return { answer: acceptedAnswer(doc), created: doc };
  if (result.existing.fingerprint !== fingerprint) {
    throw problems.conflict(
      `Idempotency-Key ${JSON.stringify(idempotencyKey)} was already used for complaint ${id} with a different body. Use a new key for a new complaint.`,
    );
  }
  return { answer: acceptedAnswer(result.existing) };
}
