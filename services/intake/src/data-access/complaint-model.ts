// The stored complaint: what the partner sent, its status, its latest routing, and its pending events (the outbox).
import { Schema, type Connection, type Model } from 'mongoose';
import { addOutbox, type OutboxEntry } from '@complaints/platform';
import type { ComplaintRouting, ComplaintStatus, ComplaintSubmission, Grade } from '@complaints/contracts';

export interface ComplaintDocument extends ComplaintSubmission {
  /** The complaint id, derived from channel and Idempotency-Key: a duplicate insert is a retry. */
  _id: string;
  channel: string;
  idempotencyKey: string;
  fingerprint: string;
  status: ComplaintStatus['status'];
  /** Time of the lifecycle event that set the status; older events never overwrite a newer status. */
  statusAt: Date;
  receivedAt: Date;
  updatedAt: Date;
  /** The latest routing decision (highest revision), for staff search; absent until routed. */
  routing?: ComplaintRouting;
  /** The grade the latest reopen raised the complaint to (回访不满意 raises the grade), and which reopen that was. */
  reopenGrade?: { grade: Grade; reopenCount: number };
  outbox: OutboxEntry[];
}

const complaintSchema = new Schema<ComplaintDocument>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true, index: true },
    idempotencyKey: { type: String, required: true },
    fingerprint: { type: String, required: true },
    customer: { type: Schema.Types.Mixed, required: true },
    text: { type: String, required: true },
    language: String,
    occurredAt: String,
    externalRef: String,
    location: Schema.Types.Mixed,
    status: { type: String, required: true },
    statusAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    routing: Schema.Types.Mixed,
    reopenGrade: Schema.Types.Mixed,
  },
  { collection: 'complaints', versionKey: false, minimize: true },
);
// Staff search lists newest first; every index is paid for on the hot insert path, so only account and time have one.
complaintSchema.index({ 'customer.accountNo': 1, receivedAt: -1 });
complaintSchema.index({ receivedAt: -1, _id: -1 });
addOutbox(complaintSchema);

export function complaintModel(connection: Connection): Model<ComplaintDocument> {
  return connection.model<ComplaintDocument>('Complaint', complaintSchema);
}
