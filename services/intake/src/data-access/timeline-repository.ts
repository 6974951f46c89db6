// The timeline projection: one stored step per event (the event id is the key, so redelivery adds nothing).
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { InsertBatcher } from '@complaints/platform';
import type { TimelineStep } from '../domain/timeline-steps';

export interface TimelineDocument extends TimelineStep {
  /** The CloudEvents id. */
  _id: string;
  complaintId: string;
  topic: string;
  traceId?: string;
  recordedAt: Date;
}

const timelineSchema = new Schema<TimelineDocument>(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true },
    topic: { type: String, required: true },
    at: { type: String, required: true },
    service: String,
    step: String,
    actor: String,
    summary: String,
    details: Schema.Types.Mixed,
    traceId: String,
    recordedAt: { type: Date, required: true },
  },
  { collection: 'timeline', versionKey: false },
);
timelineSchema.index({ complaintId: 1, at: 1 });

export class TimelineRepository {
  readonly model: Model<TimelineDocument>;
  /** Steps of many complaints share round trips. */
  private readonly inserts: InsertBatcher<TimelineDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<TimelineDocument>('TimelineStep', timelineSchema);
    this.inserts = new InsertBatcher(this.model.collection as unknown as mongo.Collection<TimelineDocument>);
  }

  /** A plain insert: a redelivered event's step already exists, and the duplicate key leaves it as it was. */
  async record(step: TimelineDocument): Promise<void> {
    await this.inserts.insert(step);
  }

  /** Steps in the order they happened; events of the same instant keep their recording order. */
  async forComplaint(complaintId: string): Promise<TimelineDocument[]> {
    const steps = await this.model.find({ complaintId }).lean<TimelineDocument[]>().exec();
    return steps.sort((a, b) => a.at.localeCompare(b.at) || a.recordedAt.getTime() - b.recordedAt.getTime());
  }
}
