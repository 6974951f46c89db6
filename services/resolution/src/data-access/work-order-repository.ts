// Stores work orders: one conditional single-document write per change, its events in the same write.
import type { FilterQuery, Model, UpdateQuery, mongo } from 'mongoose';
import { FindByIdBatcher, InsertBatcher, type OutboxEntry } from '@complaints/platform';
import { SLA_LIMITS, type Grade, type Team, type WorkOrderStatus } from '@complaints/contracts';
import type { Change } from '../domain/work-order';
import { nextSlaCheck, type DueSignal } from '../domain/sla';
import { OPEN_STATUSES } from '../domain/transitions';
import type { Escalation, HistoryEntry, WorkOrderDocument } from './work-order-model';

export type InsertResult = { inserted: true } | { inserted: false; existing: WorkOrderDocument };

export interface WorkOrderFilter {
  team?: Team;
  status?: WorkOrderStatus;
  grade?: Grade;
  overdue?: boolean;
  incidentId?: string;
  assigneeId?: string;
}

/** Lists leave out the history and the outbox; one order is read whole. */
const SUMMARY = { outbox: 0, history: 0, appliedEvents: 0 } as const;

const openFilter = { status: { $in: [...OPEN_STATUSES] } };
const OPEN = new Set<string>(OPEN_STATUSES);

/** The stored `slaCheckAt` of an order in this state. */
function slaCheckOf(order: Pick<WorkOrderDocument, 'status' | 'sla' | 'pausedAt'>): Date | null {
  return OPEN.has(order.status) ? nextSlaCheck(order.sla, order.pausedAt !== null) : null;
}
const path = (limit: string, field: string) => `sla.${limit}.${field}`;

export class WorkOrderRepository {
  /** Orders of many complaints are created and read in shared round trips. */
  private readonly inserts: InsertBatcher<WorkOrderDocument>;
  private readonly reads: FindByIdBatcher<WorkOrderDocument>;

  constructor(readonly model: Model<WorkOrderDocument>) {
    const collection = model.collection as unknown as mongo.Collection<WorkOrderDocument>;
    this.inserts = new InsertBatcher(collection);
    this.reads = new FindByIdBatcher(collection, { outbox: 0 });
  }

  async insert(doc: WorkOrderDocument): Promise<InsertResult> {
    if (await this.inserts.insert({ ...doc, slaCheckAt: slaCheckOf(doc) })) return { inserted: true };
    const existing = await this.findById(doc._id);
    if (!existing) throw new Error(`work order ${doc._id} reported as duplicate but not found`);
    return { inserted: false, existing };
  }

  findById(id: string): Promise<WorkOrderDocument | null> {
    return this.reads.find(id);
  }

  /**
   * Stores a change if nobody wrote the order since it was read (optimistic `version`); the state, history
   * and events land in one atomic single-document update. False: re-read and decide again.
   */
  async apply(order: WorkOrderDocument, change: Change, entries: OutboxEntry[], now: Date): Promise<boolean> {
    const push: Record<string, unknown> = { history: { $each: change.history } };
    if (entries.length) push.outbox = { $each: entries };
    if (change.escalation) push.escalations = change.escalation;
    if (change.appliedEvent) push.appliedEvents = change.appliedEvent;
    const set: Record<string, unknown> = { ...change.set, updatedAt: now };
    if ('status' in change.set || 'sla' in change.set || 'pausedAt' in change.set)
      set.slaCheckAt = slaCheckOf({ ...order, ...change.set });
    const result = await this.model.updateOne({ _id: order._id, version: order.version }, {
      $set: set,
      $inc: { version: 1 },
      $push: push,
    } as UpdateQuery<WorkOrderDocument>);
    return result.modifiedCount === 1;
  }

  /**
   * Claims one due warning and/or breach of one limit. The filter restates every condition (still open, not
   * paused, limit running, not yet sent, due, same deadline), so among any number of scheduler instances
   * exactly one write succeeds and the event is stored exactly once.
   */
  async claimSignal(
    order: WorkOrderDocument,
    signal: DueSignal,
    now: Date,
    write: { entries: OutboxEntry[]; history: HistoryEntry[]; escalation?: Escalation },
  ): Promise<boolean> {
    const { limit } = signal;
    const state = order.sla[limit]!;
    const filter: Record<string, unknown> = {
      _id: order._id,
      // The version too: the next check stored below is computed from the order as read, so it may only
      // replace that very state (a staff step that started another limit meanwhile makes this claim retry).
      version: order.version,
      attempt: order.attempt,
      ...openFilter,
      pausedAt: null,
      [path(limit, 'doneAt')]: null,
      [path(limit, 'deadline')]: state.deadline,
    };
    const set: Record<string, unknown> = { updatedAt: now };
    const signalled = { ...state };
    if (signal.warning) {
      filter[path(limit, 'warnedAt')] = null;
      filter[path(limit, 'warnAt')] = { $lte: now };
      set[path(limit, 'warnedAt')] = now;
      signalled.warnedAt = now;
    }
    if (signal.breach) {
      filter[path(limit, 'breachedAt')] = null;
      set[path(limit, 'breachedAt')] = state.deadline;
      set.supervision = true;
      signalled.breachedAt = state.deadline;
      if (state.deadline.getTime() > now.getTime()) return false;
    }
    set.slaCheckAt = slaCheckOf({ ...order, sla: { ...order.sla, [limit]: signalled } });
    const push: Record<string, unknown> = {
      outbox: { $each: write.entries },
      history: { $each: write.history },
    };
    if (write.escalation) push.escalations = write.escalation;
    const result = await this.model.updateOne(filter, {
      $set: set,
      $inc: { version: 1 },
      $push: push,
    } as UpdateQuery<WorkOrderDocument>);
    return result.modifiedCount === 1;
  }

  /**
   * Gives `slaCheckAt` to open orders stored before it existed (they would never be found due otherwise).
   * Each write is conditional on the version read, so an order changed meanwhile keeps the value its own
   * change stored. Returns how many orders were updated.
   */
  async backfillSlaChecks(batchSize = 500): Promise<number> {
    let updated = 0;
    for (;;) {
      const orders = await this.model
        .find(
          { ...openFilter, slaCheckAt: { $exists: false } },
          { status: 1, sla: 1, pausedAt: 1, version: 1 },
        )
        .limit(batchSize)
        .lean<Array<Pick<WorkOrderDocument, '_id' | 'status' | 'sla' | 'pausedAt' | 'version'>>>()
        .exec();
      if (!orders.length) return updated;
      const result = await this.model.bulkWrite(
        orders.map((order) => ({
          updateOne: {
            filter: { _id: order._id, version: order.version, slaCheckAt: { $exists: false } },
            update: { $set: { slaCheckAt: slaCheckOf(order) } },
          },
        })),
        { ordered: false },
      );
      updated += result.modifiedCount;
      if (orders.length < batchSize) return updated;
    }
  }

  /** Open, running orders with a warning or breach due (history and outbox left out). */
  async findDue(now: Date, batchSize: number): Promise<WorkOrderDocument[]> {
    const due = SLA_LIMITS.flatMap((limit) => [
      {
        [path(limit, 'doneAt')]: null,
        [path(limit, 'warnedAt')]: null,
        [path(limit, 'warnAt')]: { $lte: now },
      },
      {
        [path(limit, 'doneAt')]: null,
        [path(limit, 'breachedAt')]: null,
        [path(limit, 'deadline')]: { $lte: now },
      },
    ]);
    return this.model
      .find({ ...openFilter, pausedAt: null, slaCheckAt: { $lte: now }, $or: due }, SUMMARY)
      .limit(batchSize)
      .lean<WorkOrderDocument[]>()
      .exec();
  }

  async list(
    query: WorkOrderFilter,
    page: { limit: number; offset: number },
    now: Date,
  ): Promise<{ items: WorkOrderDocument[]; total: number }> {
    const filter: FilterQuery<WorkOrderDocument> = {};
    if (query.team) filter.team = query.team;
    if (query.grade) filter.grade = query.grade;
    if (query.incidentId) filter.incidentId = query.incidentId;
    if (query.assigneeId) filter.assigneeId = query.assigneeId;
    if (query.status) filter.status = query.status;
    if (query.overdue !== undefined) {
      const missed = SLA_LIMITS.flatMap((limit) => [
        { [path(limit, 'doneAt')]: null, [path(limit, 'breachedAt')]: { $ne: null } },
        { pausedAt: null, [path(limit, 'doneAt')]: null, [path(limit, 'deadline')]: { $lt: now } },
      ]);
      if (query.overdue) {
        filter.$and = [openFilter, { $or: missed }];
      } else {
        filter.$nor = [{ $and: [openFilter, { $or: missed }] }];
      }
    }
    const [items, total] = await Promise.all([
      this.model
        .find(filter, SUMMARY)
        .sort({ createdAt: -1, _id: 1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<WorkOrderDocument[]>()
        .exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /** Ids of the open orders linked to an incident. */
  async openIdsOfIncident(incidentId: string): Promise<string[]> {
    const docs = await this.model
      .find({ incidentId, ...openFilter }, { _id: 1 })
      .lean<Array<{ _id: string }>>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** Per incident: how many orders are linked and how many of them are still open. */
  async countsByIncident(
    incidentIds: string[],
  ): Promise<Map<string, { complaintCount: number; openCount: number }>> {
    const orders = await this.model
      .find({ incidentId: { $in: incidentIds } }, { incidentId: 1, status: 1 })
      .lean<Array<Pick<WorkOrderDocument, 'incidentId' | 'status'>>>()
      .exec();
    const counts = new Map(incidentIds.map((id) => [id, { complaintCount: 0, openCount: 0 }]));
    const open = new Set<string>(OPEN_STATUSES);
    for (const order of orders) {
      const count = order.incidentId ? counts.get(order.incidentId) : undefined;
      if (!count) continue;
      count.complaintCount++;
      if (open.has(order.status)) count.openCount++;
    }
    return counts;
  }

  async summariesOfIncident(incidentId: string): Promise<WorkOrderDocument[]> {
    return this.model
      .find({ incidentId }, SUMMARY)
      .sort({ createdAt: 1, _id: 1 })
      .lean<WorkOrderDocument[]>()
      .exec();
  }
}
