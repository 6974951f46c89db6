// Stores complaints: one atomic insert holds the complaint and its received event; a duplicate id means a retry.
import type { FilterQuery, Model } from 'mongoose';
import type { mongo } from 'mongoose';
import { InsertBatcher, WriteBatcher } from '@complaints/platform';
import type { ComplaintRouting, ComplaintStatus, Grade, RootCause } from '@complaints/contracts';
import type { ComplaintDocument } from './complaint-model';

export type InsertResult = { inserted: true } | { inserted: false; existing: ComplaintDocument };

export interface ComplaintSearch {
  accountNo?: string;
  status?: ComplaintStatus['status'];
  grade?: Grade;
  rootCause?: RootCause;
  channel?: string;
  /** Received in [from, to). */
  from?: Date;
  to?: Date;
  /** Position after the last complaint of the previous page (newest first). */
  after?: { receivedAt: Date; id: string };
}

/** What a search hit needs; the outbox, fingerprint and contact details stay in the database. */
const SEARCH_FIELDS = {
  channel: 1,
  externalRef: 1,
  'customer.accountNo': 1,
  text: 1,
  status: 1,
  routing: 1,
  receivedAt: 1,
  updatedAt: 1,
} as const;

export class ComplaintRepository {
  private readonly inserts: InsertBatcher<ComplaintDocument>;
  /** Lifecycle updates of many complaints share round trips. */
  private readonly updates: WriteBatcher<ComplaintDocument>;

  constructor(readonly model: Model<ComplaintDocument>) {
    const collection = model.collection as unknown as mongo.Collection<ComplaintDocument>;
    this.inserts = new InsertBatcher(collection);
    this.updates = new WriteBatcher(collection);
  }

  /** Durable once this resolves (majority write concern on the connection). */
  async insert(doc: ComplaintDocument): Promise<InsertResult> {
    if (await this.inserts.insert(doc)) return { inserted: true };
    const existing = await this.model.findById(doc._id).lean<ComplaintDocument>().exec();
    if (!existing) throw new Error(`complaint ${doc._id} reported as duplicate but not found`);
    return { inserted: false, existing };
  }

  async findById(id: string): Promise<ComplaintDocument | null> {
    return this.model.findById(id, { outbox: 0 }).lean<ComplaintDocument>().exec();
  }

  /** Applies a lifecycle status only if its event is newer than the one that set the current status. */
  async applyStatus(id: string, status: ComplaintStatus['status'], at: Date): Promise<void> {
    await this.updates.write({
      updateOne: {
        filter: { _id: id, statusAt: { $lt: at } },
        update: { $set: { status, statusAt: at, updatedAt: new Date() } },
      },
    });
  }

  /** Keeps the latest routing decision: an older (or redelivered older) revision matches nothing. */
  async applyRouting(id: string, routing: ComplaintRouting): Promise<void> {
    await this.updates.write({
      updateOne: {
        filter: {
          _id: id,
          $or: [
            { 'routing.revision': { $exists: false } },
            { 'routing.revision': { $lte: routing.revision } },
          ],
        },
        update: { $set: { routing, updatedAt: new Date() } },
      },
    });
  }

  /** One page of matching complaints, newest first; `limit + 1` is read to know whether a next page exists. */
  async search(
    query: ComplaintSearch,
    limit: number,
  ): Promise<{ items: ComplaintDocument[]; more: boolean }> {
    const filter: FilterQuery<ComplaintDocument> = {};
    if (query.accountNo) filter['customer.accountNo'] = query.accountNo;
    if (query.status) filter.status = query.status;
    if (query.grade) filter['routing.grade'] = query.grade;
    if (query.rootCause) filter['routing.rootCause'] = query.rootCause;
    if (query.channel) filter.channel = query.channel;
    if (query.from || query.to)
      filter.receivedAt = {
        ...(query.from ? { $gte: query.from } : {}),
        ...(query.to ? { $lt: query.to } : {}),
      };
    if (query.after) {
      const { receivedAt, id } = query.after;
      filter.$or = [{ receivedAt: { $lt: receivedAt } }, { receivedAt, _id: { $lt: id } }];
    }
    const found = await this.model
      .find(filter, SEARCH_FIELDS)
      .sort({ receivedAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<ComplaintDocument[]>()
      .exec();
    return { items: found.slice(0, limit), more: found.length > limit };
  }
}
