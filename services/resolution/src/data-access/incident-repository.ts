// Stores incidents: deterministic ids and conditional upserts stand in for transactions and unique indexes.
import type { Model, mongo } from 'mongoose';
import {
  FindByIdBatcher,
  GroupCommit,
  isDuplicateKey,
  writeErrorsOf,
  type Waiting,
} from '@complaints/platform';
import type { Team } from '@complaints/contracts';
import { incidentIdFor, joinsIncident } from '../domain/incident-bucket';
import type { IncidentDocument, IncidentResolutionRecord } from './incident-model';

const MAX_GENERATIONS = 50;

interface JoinRequest {
  transformerArea: string;
  team: Team;
  at: Date;
  windowMs: number;
}

export class IncidentRepository {
  /** Joins of concurrently handled complaints share two round trips, and the open checks share one. */
  private readonly joins: IncidentJoins;
  private readonly statuses: FindByIdBatcher<IncidentDocument>;

  constructor(readonly model: Model<IncidentDocument>) {
    this.joins = new IncidentJoins(model);
    this.statuses = new FindByIdBatcher(model.collection as unknown as mongo.Collection<IncidentDocument>, {
      status: 1,
    });
  }

  async findById(id: string): Promise<IncidentDocument | null> {
    return this.model.findById(id).lean<IncidentDocument>().exec();
  }

  /**
   * The incident a complaint at `at` in this area belongs to: an open one whose last complaint is within the
   * window, else the window's own incident, upserted under its deterministic id (so two instances meet in
   * one document). An incident already resolved is never reopened: the next generation's id is used.
   */
  join(transformerArea: string, team: Team, at: Date, windowMs: number): Promise<string> {
    return this.joins.join({ transformerArea, team, at, windowMs });
  }

  /** One page of incidents, the most recent last complaint first. */
  async list(
    filter: { status?: IncidentDocument['status']; team?: Team; transformerArea?: string },
    page: { limit: number; offset: number },
  ): Promise<{ items: IncidentDocument[]; total: number }> {
    const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const [items, total] = await Promise.all([
      this.model
        .find(query)
        .sort({ lastComplaintAt: -1, _id: 1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<IncidentDocument[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  async isOpen(id: string): Promise<boolean> {
    // A read by id, not countDocuments: that one is an aggregation, which costs the database more.
    return (await this.statuses.find(id))?.status === 'open';
  }

  /** open → resolving, recording the resolution every linked order will get; false if it was not open. */
  async startResolving(id: string, resolution: IncidentResolutionRecord): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id, status: 'open' },
      { $set: { status: 'resolving', resolution, updatedAt: resolution.resolvedAt } },
    );
    return result.modifiedCount === 1;
  }

  async finishResolving(id: string, now: Date): Promise<void> {
    await this.model.updateOne(
      { _id: id, status: 'resolving' },
      { $set: { status: 'resolved', updatedAt: now } },
    );
  }

  /** Incidents whose resolution was interrupted (crash, restart) before every order was resolved. */
  async findResolving(limit: number): Promise<IncidentDocument[]> {
    return this.model.find({ status: 'resolving' }).limit(limit).lean<IncidentDocument[]>().exec();
  }
}

/** The open incident an area's next complaint may join, as known while deciding a batch. */
interface Candidate {
  id: string;
  lastComplaintAt: Date;
}

/** One write per incident a batch touches: created if missing, its last complaint time moved forward. */
interface Touch {
  id: string;
  first: JoinRequest;
  lastComplaintAt: Date;
  requests: Array<Waiting<JoinRequest, string>>;
}

/**
 * Joins of a batch are decided together: one read of the open incidents of every area in it, then, area by
 * area in arrival order, the same decision a lone join makes (the latest open incident if the complaint is
 * within its window, else the window's own id), then one unordered bulk of conditional upserts. A batch runs
 * only when the previous one has finished (at most one in flight), so a complaint always sees the incidents
 * the complaints before it opened, as the one-at-a-time join did. Where the bulk finds an incident no longer
 * open (a duplicate key on its id), those complaints take the one-at-a-time path, which moves to the next
 * generation.
 */
class IncidentJoins extends GroupCommit<JoinRequest, string> {
  constructor(private readonly model: Model<IncidentDocument>) {
    super({ maxInFlight: 1 });
  }

  join(request: JoinRequest): Promise<string> {
    return this.enqueue(request);
  }

  protected async send(batch: Array<Waiting<JoinRequest, string>>): Promise<void> {
    try {
      const touches = await this.decide(batch);
      const failed = await this.write(touches);
      const retry = new Set<Waiting<JoinRequest, string>>();
      for (const touch of touches)
        for (const w of touch.requests) {
          if (failed.has(touch)) retry.add(w);
          else w.resolve(touch.id);
        }
      // In arrival order: a later complaint of the area must see what an earlier one opened.
      for (const w of batch.filter((waiting) => retry.has(waiting))) {
        try {
          w.resolve(await this.joinOne(w.item));
        } catch (error) {
          w.reject(error);
        }
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  private async decide(batch: Array<Waiting<JoinRequest, string>>): Promise<Touch[]> {
    const areas = [...new Set(batch.map((w) => w.item.transformerArea))];
    const open = await this.model
      .find(
        { transformerArea: { $in: areas }, status: 'open' },
        { _id: 1, transformerArea: 1, lastComplaintAt: 1 },
      )
      .lean<Array<{ _id: string; transformerArea: string; lastComplaintAt: Date }>>()
      .exec();
    // Every open incident of each area with its last complaint time, kept current as the batch is decided.
    const openByArea = new Map<string, Map<string, Date>>();
    const openOf = (area: string) => {
      let known = openByArea.get(area);
      if (!known) openByArea.set(area, (known = new Map<string, Date>()));
      return known;
    };
    for (const incident of open) openOf(incident.transformerArea).set(incident._id, incident.lastComplaintAt);
    const touches = new Map<string, Touch>();
    for (const w of batch) {
      const { transformerArea, at, windowMs } = w.item;
      const known = openOf(transformerArea);
      let latest: Candidate | undefined;
      for (const [id, lastComplaintAt] of known)
        if (!latest || lastComplaintAt > latest.lastComplaintAt) latest = { id, lastComplaintAt };
      const id =
        latest && joinsIncident(latest.lastComplaintAt, at, windowMs)
          ? latest.id
          : incidentIdFor(transformerArea, at, windowMs);
      let touch = touches.get(id);
      if (!touch) touches.set(id, (touch = { id, first: w.item, lastComplaintAt: at, requests: [] }));
      touch.requests.push(w);
      if (at > touch.lastComplaintAt) touch.lastComplaintAt = at;
      const before = known.get(id);
      known.set(id, before && before > at ? before : at);
    }
    return [...touches.values()];
  }

  /** The touches whose incident turned out not to be open any more. */
  private async write(touches: Touch[]): Promise<Set<Touch>> {
    try {
      await this.model.bulkWrite(
        touches.map((t) => ({
          updateOne: {
            filter: { _id: t.id, status: 'open' },
            update: {
              $setOnInsert: {
                transformerArea: t.first.transformerArea,
                team: t.first.team,
                openedAt: t.first.at,
              },
              $max: { lastComplaintAt: t.lastComplaintAt },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      return new Set();
    } catch (error) {
      const failures = writeErrorsOf(error);
      if (!failures || [...failures.values()].some((e) => e.code !== 11000)) throw error;
      return new Set([...failures.keys()].map((index) => touches[index]));
    }
  }

  /** One complaint on its own: the latest open incident of the area if within its window, else a new generation. */
  private async joinOne({ transformerArea, team, at, windowMs }: JoinRequest): Promise<string> {
    const recent = await this.model
      .find({ transformerArea, status: 'open' }, { _id: 1, lastComplaintAt: 1 })
      .sort({ lastComplaintAt: -1 })
      .limit(1)
      .lean<Array<{ _id: string; lastComplaintAt: Date }>>()
      .exec();
    if (recent[0] && joinsIncident(recent[0].lastComplaintAt, at, windowMs)) {
      const touched = await this.model.updateOne(
        { _id: recent[0]._id, status: 'open' },
        { $max: { lastComplaintAt: at } },
      );
      if (touched.matchedCount === 1) return recent[0]._id;
    }
    for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
      const id = incidentIdFor(transformerArea, at, windowMs, generation);
      try {
        await this.model.updateOne(
          { _id: id, status: 'open' },
          {
            $setOnInsert: { transformerArea, team, openedAt: at },
            $max: { lastComplaintAt: at },
          },
          { upsert: true },
        );
        return id;
      } catch (error) {
        // The id exists but is no longer open: that outage is over, try the next generation.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`too many resolved incidents for ${transformerArea} in one window`);
  }
}
