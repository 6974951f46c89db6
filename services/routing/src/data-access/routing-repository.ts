// Routing decisions per complaint, with their revisions, the closures seen (for repeat detection) and the outbox.
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { addOutbox, GroupCommit, InsertBatcher, type OutboxEntry, type Waiting } from '@complaints/platform';
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
  /** First decisions and repeat lookups of many complaints share round trips. */
  private readonly inserts: InsertBatcher<RoutingDocument>;
  private readonly repeats: RepeatLookups;

  constructor(connection: Connection) {
    this.model = connection.model<RoutingDocument>('Routing', routingSchema);
    const collection = this.model.collection as unknown as mongo.Collection<RoutingDocument>;
    this.inserts = new InsertBatcher(collection);
    this.repeats = new RepeatLookups(collection);
  }

  /** First decision for a complaint; false if it was already routed (a redelivered received event). */
  insert(doc: RoutingDocument): Promise<boolean> {
    return this.inserts.insert(doc);
  }

  async find(complaintId: string): Promise<RoutingDocument | null> {
    return this.model.findById(complaintId, { outbox: 0 }).lean<RoutingDocument>().exec();
  }

  /** Earlier complaints of the account on the same matter that were closed within the window, oldest first. */
  closedRepeats(accountNo: string, rootCause: RootCause, since: Date, excluding: string): Promise<string[]> {
    return this.repeats.lookup({ accountNo, rootCause, since, excluding });
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

interface RepeatQuery {
  accountNo: string;
  rootCause: RootCause;
  since: Date;
  excluding: string;
}

/**
 * Repeat lookups of concurrently routed complaints share one query over their accounts' closed complaints
 * (from the earliest window start); each complaint then keeps its own root cause, window and exclusion.
 */
class RepeatLookups extends GroupCommit<RepeatQuery, string[]> {
  constructor(private readonly collection: mongo.Collection<RoutingDocument>) {
    super({});
  }

  lookup(query: RepeatQuery): Promise<string[]> {
    return this.enqueue(query);
  }

  protected async send(batch: Array<Waiting<RepeatQuery, string[]>>): Promise<void> {
    try {
      const since = new Date(Math.min(...batch.map((w) => w.item.since.getTime())));
      const accounts = [...new Set(batch.map((w) => w.item.accountNo))];
      const closed = await this.collection
        .find(
          { accountNo: { $in: accounts }, closedAt: { $gte: since } },
          { projection: { _id: 1, accountNo: 1, rootCause: 1, closedAt: 1 } },
        )
        .toArray();
      closed.sort((a, b) => a.closedAt!.getTime() - b.closedAt!.getTime());
      for (const { item, resolve } of batch)
        resolve(
          closed
            .filter(
              (d) =>
                d.accountNo === item.accountNo &&
                d.rootCause === item.rootCause &&
                d.closedAt!.getTime() >= item.since.getTime() &&
                d._id !== item.excluding,
            )
            .map((d) => d._id),
        );
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
