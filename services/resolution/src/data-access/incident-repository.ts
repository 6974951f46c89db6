// Stores incidents: deterministic ids and conditional upserts stand in for transactions and unique indexes.
import type { Model } from 'mongoose';
import { isDuplicateKey } from '@complaints/platform';
import type { Team } from '@complaints/contracts';
import { incidentIdFor, joinsIncident } from '../domain/incident-bucket';
import type { IncidentDocument, IncidentResolutionRecord } from './incident-model';

const MAX_GENERATIONS = 50;

export class IncidentRepository {
  /** The join in progress per transformer area: this instance's joins of one area run one after another. */
  private readonly joining = new Map<string, Promise<unknown>>();

  constructor(readonly model: Model<IncidentDocument>) {}

  async findById(id: string): Promise<IncidentDocument | null> {
    return this.model.findById(id).lean<IncidentDocument>().exec();
  }

  /**
   * The incident a complaint at `at` in this area belongs to: an open one whose last complaint is within the
   * window, else the window's own incident, upserted under its deterministic id (so two instances meet in
   * one document). An incident already resolved is never reopened: the next generation's id is used.
   */
  join(transformerArea: string, team: Team, at: Date, windowMs: number): Promise<string> {
    // Complaints of one outage arrive together and are handled concurrently: without this, two of them could
    // each find no open incident and open one per window. (Instances racing each other still can; see README.)
    const previous = this.joining.get(transformerArea) ?? Promise.resolve();
    const mine = previous.then(() => this.joinNow(transformerArea, team, at, windowMs));
    const settled = mine.catch(() => undefined);
    this.joining.set(transformerArea, settled);
    void settled.then(() => {
      if (this.joining.get(transformerArea) === settled) this.joining.delete(transformerArea);
    });
    return mine;
  }

  private async joinNow(transformerArea: string, team: Team, at: Date, windowMs: number): Promise<string> {
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
    return (await this.model.exists({ _id: id, status: 'open' }).exec()) !== null;
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
