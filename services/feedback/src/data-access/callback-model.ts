// The stored callback task: state, attempts, outcome, survey link, and its pending events (the outbox).
import { Schema, type Connection, type Model } from 'mongoose';
import { addOutbox, type OutboxEntry } from '@complaints/platform';
import type { CallbackTask, ContactAttempt } from '../domain/callback-task';

export interface CallbackDocument extends CallbackTask {
  outbox: OutboxEntry[];
}

const contactAttemptSchema = new Schema<ContactAttempt>(
  {
    key: String,
    result: { type: String, required: true },
    note: String,
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { _id: false },
);

const callbackSchema = new Schema<CallbackDocument>(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true },
    attempt: { type: Number, required: true },
    workOrderId: { type: String, required: true },
    channel: { type: String, required: true },
    accountNo: { type: String, required: true },
    rootCause: { type: String, required: true },
    subtype: { type: String, required: true },
    grade: { type: String, required: true },
    resolvedAt: { type: Date, required: true },
    resolvedBy: { type: Schema.Types.Mixed, required: true },
    onTime: { type: Boolean, required: true },
    terminated: { type: Boolean, required: true },
    resolvedEventId: { type: String, required: true },
    dueAt: { type: Date, required: true },
    status: { type: String, required: true },
    failedAttempts: { type: Number, required: true },
    contactAttempts: { type: [contactAttemptSchema], default: [] },
    outcome: Schema.Types.Mixed,
    reopen: Schema.Types.Mixed,
    survey: Schema.Types.Mixed,
    trace: Schema.Types.Mixed,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'callbacks', versionKey: false, minimize: true },
);
// Reports select by resolution time; agents' work lists by state and due time; reopen counts by complaint.
callbackSchema.index({ resolvedAt: 1 });
callbackSchema.index({ status: 1, dueAt: 1 });
callbackSchema.index({ complaintId: 1 });
addOutbox(callbackSchema);

export function callbackModel(connection: Connection): Model<CallbackDocument> {
  return connection.model<CallbackDocument>('Callback', callbackSchema);
}
