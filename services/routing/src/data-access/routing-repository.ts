// Routing decisions per complaint, with their revisions, the closures seen (for repeat detection) and the outbox.
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { addOutbox, InsertBatcher, type OutboxEntry } from '@complaints/platform';
import type { ComplaintReceived, ComplaintRouted, RootCause } from '@complaints/contracts';

export interface RoutingHistoryEntry {
  revision: number;
  at: Date;
  by: string;
  rootCause: string;
  subtype: string;
  grade: string;
  reason?: string;
}

export interface RoutingDocument {
  _id: string;
  accountNo: string;
  rootCause: RootCause;
  complaint: ComplaintReceived;
  decision: ComplaintRouted;
  revision: number;
  history: RoutingHistoryEntry[];
  closedAt?: Date;
  routedAt: Date;
  outbox: OutboxEntry[];
}

const routingSchema = new Schema<RoutingDocument>(
  {
    _id: { type: String, required: true },
    accountNo: { type: String, required: true },
    rootCause: { type: String, required: true },
    complaint: { type: Schema.Types.Mixed, required: true },
    decision: { type: Schema.Types.Mixed, required: true },
    revision: { type: Number, required: true },
    history: { type: Schema.Types.Mixed, default: [] },
    closedAt: Date,
    routedAt: { type: Date, required: true },
  },
  { collection: 'routings', versionKey: false, minimize: false },
);
// Repeat detection looks up one account's closed complaints on one matter.
routingSchema.index({ accountNo: 1, rootCause: 1, closedAt: -1 });
addOutbox(routingSchema);

export class RoutingRepository {
  readonly model: Model<RoutingDocument>;
  /** First decisions of many complaints share round trips. */
  private readonly inserts: InsertBatcher<RoutingDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<RoutingDocument>('Routing', routingSchema);
    this.inserts = new InsertBatcher(this.model.collection as unknown as mongo.Collection<RoutingDocument>);
  }

  /** First decision for a complaint; false if it was already routed (a redelivered received event). */
  insert(doc: RoutingDocument): Promise<boolean> {
    return this.inserts.insert(doc);
  }

  async find(complaintId: string): Promise<RoutingDocument | null> {
    return this.model.findById(complaintId, { outbox: 0 }).lean<RoutingDocument>().exec();
  }

  /** Earlier complaints of the account on the same matter that were closed within the window. */
  async closedRepeats(
    accountNo: string,
    rootCause: RootCause,
    since: Date,
    excluding: string,
  ): Promise<string[]> {
    const docs = await this.model
      .find({ accountNo, rootCause, closedAt: { $gte: since }, _id: { $ne: excluding } }, { _id: 1 })
      .sort({ closedAt: 1 })
      .lean<Array<{ _id: string }>>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** Applies a new revision only if nobody else changed the decision meanwhile. */
  async saveRevision(
    complaintId: string,
    expectedRevision: number,
    decision: ComplaintRouted,
    history: RoutingHistoryEntry,
    entry: OutboxEntry,
  ): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: complaintId, revision: expectedRevision },
      {
        $set: { decision, revision: decision.revision, rootCause: decision.classification.rootCause },
        $push: { history, outbox: entry },
      },
    );
    return result.modifiedCount === 1;
  }

  /** Records the closure time once; a redelivered closed event changes nothing. */
  async markClosed(complaintId: string, closedAt: Date): Promise<void> {
    await this.model.updateOne({ _id: complaintId, closedAt: { $exists: false } }, { $set: { closedAt } });
  }

  /** A reopened complaint is no longer closed. */
  async markReopened(complaintId: string): Promise<void> {
    await this.model.updateOne({ _id: complaintId }, { $unset: { closedAt: 1 } });
  }
}
