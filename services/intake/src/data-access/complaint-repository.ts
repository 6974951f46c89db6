// Stores complaints: one atomic insert holds the complaint and its received event; a duplicate id means a retry.
import type { Model } from 'mongoose';
import type { mongo } from 'mongoose';
import { InsertBatcher } from '@complaints/platform';
import type { ComplaintStatus } from '@complaints/contracts';
import type { ComplaintDocument } from './complaint-model';

export type InsertResult = { inserted: true } | { inserted: false; existing: ComplaintDocument };

export class ComplaintRepository {
  private readonly inserts: InsertBatcher<ComplaintDocument>;

  constructor(readonly model: Model<ComplaintDocument>) {
    this.inserts = new InsertBatcher(model.collection as unknown as mongo.Collection<ComplaintDocument>);
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
  async applyStatus(id: string, status: ComplaintStatus['status'], at: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id, statusAt: { $lt: at } },
      { $set: { status, statusAt: at, updatedAt: new Date() } },
    );
    return result.modifiedCount > 0;
  }
}
