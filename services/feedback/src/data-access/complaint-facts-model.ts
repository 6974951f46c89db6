// The complaint projection this service keeps from received and routed events: contact for the callback, facts for KPIs.
import { Schema, type Connection, type Model } from 'mongoose';
import type { AreaType, Customer, Grade, RootCause, Subtype } from '@complaints/contracts';

export interface ComplaintFacts {
  /** The complaint id. */
  _id: string;
  channel?: string;
  customer?: Customer;
  receivedAt?: Date;
  /** Transformer area the customer gave at intake; routing's location wins when it names one. */
  reportedTransformerArea?: string;
  /** Time of the first routing decision: a complaint belongs to the report period it was routed in. */
  firstRoutedAt?: Date;
  /** Highest revision seen: above 1 means routing reclassified the complaint. */
  maxRevision?: number;
  /** Revision of the decision below (the latest applied). */
  revision?: number;
  rootCause?: RootCause;
  subtype?: Subtype;
  grade?: Grade;
  areaType?: AreaType;
  transformerArea?: string;
  routedAt?: Date;
  updatedAt: Date;
}

const complaintFactsSchema = new Schema<ComplaintFacts>(
  {
    _id: { type: String, required: true },
    channel: String,
    customer: Schema.Types.Mixed,
    receivedAt: Date,
    reportedTransformerArea: String,
    firstRoutedAt: Date,
    maxRevision: Number,
    revision: Number,
    rootCause: String,
    subtype: String,
    grade: String,
    areaType: String,
    transformerArea: String,
    routedAt: Date,
    updatedAt: { type: Date, required: true },
  },
  { collection: 'complaint_facts', versionKey: false, minimize: true },
);
complaintFactsSchema.index({ firstRoutedAt: 1 });

export function complaintFactsModel(connection: Connection): Model<ComplaintFacts> {
  return connection.model<ComplaintFacts>('ComplaintFacts', complaintFactsSchema);
}
