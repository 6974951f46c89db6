// Stores complaints: one atomic insert holds the complaint and its received event; a duplicate id means a retry.
import type { Model } from 'mongoose';
import { isDuplicateKey } from '@complaints/platform';
import type { ComplaintStatus } from '@complaints/contracts';
import type { ComplaintDocument } from './complaint-model';

export type InsertResult = { inserted: true } | { inserted: false; existing: ComplaintDocument };

export class ComplaintRepository {
  constructor(readonly model: Model<ComplaintDocument>) {}

  /** Durable once this resolves (majority write concern on the connection). */
  async insert(doc: ComplaintDocument): Promise<InsertResult> {
    try {
      await this.model.collection.insertOne(doc as never);
      return { inserted: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.model.findById(doc._id).lean<ComplaintDocument>().exec();
      if (!existing) throw error;
      return { inserted: false, existing };
    }
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
