// Stores callback tasks: every state change and the event it emits are one single-document write.
import type { Model } from 'mongoose';
import { isDuplicateKey, type OutboxEntry } from '@complaints/platform';
import type {
  CallbackStatus,
  CallbackTask,
  ContactAttempt,
  RecordedOutcome,
  ReopenFacts,
} from '../domain/callback-task';
import type { ResolutionGroup } from '../domain/kpis';
import type { ResolvedFact } from '../domain/kpi-series';
import type { Period } from '../domain/report-period';
import type { StaffGroup } from '../domain/staff-ratings';
import type { CallbackDocument } from './callback-model';

export interface Finish {
  outcome: RecordedOutcome;
  reopen?: ReopenFacts;
  entry: OutboxEntry;
}

export interface CallbackFilter {
  status?: CallbackStatus;
  complaintId?: string;
  overdueAt?: Date;
}

const WITHOUT_OUTBOX = { outbox: 0 } as const;

export class CallbackRepository {
  constructor(readonly model: Model<CallbackDocument>) {}

  /** False when the task already exists: a redelivered resolved event. */
  async insert(task: CallbackTask, entries: OutboxEntry[] = []): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ ...task, outbox: entries } as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async findById(id: string): Promise<CallbackTask | null> {
    return this.model.findById(id, WITHOUT_OUTBOX).lean<CallbackTask>().exec();
  }

  async list(filter: CallbackFilter, limit: number): Promise<CallbackTask[]> {
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.complaintId) query.complaintId = filter.complaintId;
    if (filter.overdueAt) {
      query.status = 'pending';
      query.dueAt = { $lt: filter.overdueAt };
    }
    return this.model
      .find(query, WITHOUT_OUTBOX)
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit)
      .lean<CallbackTask[]>()
      .exec();
  }

  /** How many other callbacks of this complaint ended dissatisfied (each one reopened it). */
  async countDissatisfied(complaintId: string, exceptId: string): Promise<number> {
    return this.model.countDocuments({ complaintId, status: 'dissatisfied', _id: { $ne: exceptId } }).exec();
  }

  /** Sets the outcome and queues its event, only if the task is still pending; null if it is not. */
  async finish(id: string, finish: Finish, now: Date): Promise<CallbackTask | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, status: 'pending' },
        {
          $set: {
            status: finish.outcome.outcome,
            outcome: finish.outcome,
            ...(finish.reopen ? { reopen: finish.reopen } : {}),
            updatedAt: now,
          },
          $push: { outbox: finish.entry },
        },
        { new: true, projection: WITHOUT_OUTBOX },
      )
      .lean<CallbackTask>()
      .exec();
  }

  /**
   * Adds a failed attempt if nobody else changed the count meanwhile (optimistic check on failedAttempts);
   * the last allowed attempt also finishes the task as unreachable in the same write. Null on a lost race.
   */
  async addAttempt(
    id: string,
    expectedFailed: number,
    attempt: ContactAttempt,
    now: Date,
    finish?: Finish,
    activity: OutboxEntry[] = [],
  ): Promise<CallbackTask | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, status: 'pending', failedAttempts: expectedFailed },
        {
          $inc: { failedAttempts: 1 },
          $push: {
            contactAttempts: attempt,
            outbox: { $each: [...activity, ...(finish ? [finish.entry] : [])] },
          },
          $set: {
            updatedAt: now,
            ...(finish ? { status: finish.outcome.outcome, outcome: finish.outcome } : {}),
          },
        },
        { new: true, projection: WITHOUT_OUTBOX },
      )
      .lean<CallbackTask>()
      .exec();
  }

  /** Resolutions in the period, counted by callback state, on-time flag and termination. */
  async resolutionGroups(period: Period): Promise<ResolutionGroup[]> {
    const rows = await this.model
      .aggregate<{ _id: { status: CallbackStatus; onTime: boolean; terminated: boolean }; count: number }>([
        { $match: { resolvedAt: { $gte: period.from, $lt: period.to } } },
        {
          $group: {
            _id: { status: '$status', onTime: '$onTime', terminated: '$terminated' },
            count: { $sum: 1 },
          },
        },
      ])
      .exec();
    return rows.map((r) => ({ ...r._id, count: r.count }));
  }

  /** Resolutions in the period, counted by resolving staff, team, callback state and rating. */
  async staffGroups(period: Period): Promise<StaffGroup[]> {
    const rows = await this.model
      .aggregate<{
        _id: { staffId: string; team?: string | null; status: CallbackStatus; rating?: number | null };
        count: number;
      }>([
        { $match: { resolvedAt: { $gte: period.from, $lt: period.to } } },
        {
          $group: {
            _id: {
              staffId: '$resolvedBy.staffId',
              team: '$resolvedBy.team',
              status: '$status',
              rating: '$outcome.rating',
            },
            count: { $sum: 1 },
          },
        },
      ])
      .exec();
    return rows.map((r) => ({
      staffId: r._id.staffId,
      team: r._id.team ?? null,
      status: r._id.status,
      rating: typeof r._id.rating === 'number' ? r._id.rating : null,
      count: r.count,
    }));
  }

  /** Resolution time and callback state of the resolutions in the period (KPI series). */
  async resolvedFacts(period: Period): Promise<ResolvedFact[]> {
    return this.model
      .find({ resolvedAt: { $gte: period.from, $lt: period.to } }, { _id: 0, resolvedAt: 1, status: 1 })
      .lean<ResolvedFact[]>()
      .exec();
  }
}
