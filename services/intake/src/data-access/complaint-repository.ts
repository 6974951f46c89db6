// Stores complaints: one atomic insert holds the complaint and its received event; a duplicate id means a retry.
import type { FilterQuery, Model } from 'mongoose';
import type { mongo } from 'mongoose';
import { InsertBatcher, WriteBatcher } from '@complaints/platform';
import {
  GRADES,
  type ComplaintRouting,
  type ComplaintStatus,
  type Grade,
  type RootCause,
} from '@complaints/contracts';
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
/** The grade a complaint has now: its routing decision's, unless a reopen raised it higher. */
export function currentGrade(doc: Pick<ComplaintDocument, 'routing' | 'reopenGrade'>): Grade | undefined {
  const routed = doc.routing?.grade;
  const raised = doc.reopenGrade?.grade;
  if (!routed || !raised) return raised ?? routed;
  return GRADES.indexOf(raised) > GRADES.indexOf(routed) ? raised : routed;
}

/** The filter form of `currentGrade(doc) === grade`: one side equals it and the other is absent or not higher. */
function currentGradeIs(grade: Grade): FilterQuery<ComplaintDocument> {
  const notHigher = GRADES.slice(0, GRADES.indexOf(grade) + 1);
  return {
    $or: [
      {
        'routing.grade': grade,
        $or: [{ 'reopenGrade.grade': { $exists: false } }, { 'reopenGrade.grade': { $in: notHigher } }],
      },
      { 'reopenGrade.grade': grade, 'routing.grade': { $in: notHigher } },
    ],
  };
}

const SEARCH_FIELDS = {
  channel: 1,
  externalRef: 1,
  'customer.accountNo': 1,
  text: 1,
  status: 1,
  routing: 1,
  reopenGrade: 1,
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

  /** Records the grade a reopen raised the complaint to; a redelivered or older reopen matches nothing. */
  async applyReopenGrade(id: string, grade: Grade, reopenCount: number): Promise<void> {
    await this.updates.write({
      updateOne: {
        filter: {
          _id: id,
          $or: [
            { 'reopenGrade.reopenCount': { $exists: false } },
            { 'reopenGrade.reopenCount': { $lt: reopenCount } },
          ],
        },
        update: { $set: { reopenGrade: { grade, reopenCount }, updatedAt: new Date() } },
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
    const and: Array<FilterQuery<ComplaintDocument>> = [];
    if (query.grade) and.push(currentGradeIs(query.grade));
    if (query.rootCause) filter['routing.rootCause'] = query.rootCause;
    if (query.channel) filter.channel = query.channel;
    if (query.from || query.to)
      filter.receivedAt = {
        ...(query.from ? { $gte: query.from } : {}),
        ...(query.to ? { $lt: query.to } : {}),
      };
    if (query.after) {
      const { receivedAt, id } = query.after;
      and.push({ $or: [{ receivedAt: { $lt: receivedAt } }, { receivedAt, _id: { $lt: id } }] });
    }
    if (and.length) filter.$and = and;
    const found = await this.model
      .find(filter, SEARCH_FIELDS)
      .sort({ receivedAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<ComplaintDocument[]>()
      .exec();
    return { items: found.slice(0, limit), more: found.length > limit };
  }
}
