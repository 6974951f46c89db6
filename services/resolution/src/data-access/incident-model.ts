// The stored mass-outage incident; the work orders carry its id, the incident holds no list of them.
import { Schema, type Connection, type Model } from 'mongoose';
import type { AssetOwner, StaffRef, Team } from '@complaints/contracts';

export type IncidentStatus = 'open' | 'resolving' | 'resolved';

export interface IncidentResolutionRecord {
  assetOwner: AssetOwner;
  workDone: string;
  resolutionCode: string;
  resolvedAt: Date;
  resolvedBy: StaffRef;
}

export interface IncidentDocument {
  /** Deterministic from transformer area and window (see domain/incident-bucket.ts). */
  _id: string;
  transformerArea: string;
  team: Team;
  /** open → resolving (the linked orders are being resolved) → resolved. */
  status: IncidentStatus;
  openedAt: Date;
  lastComplaintAt: Date;
  resolution?: IncidentResolutionRecord;
  updatedAt?: Date;
}

const incidentSchema = new Schema<IncidentDocument>(
  {
    _id: { type: String, required: true },
    transformerArea: { type: String, required: true },
    team: { type: String, required: true },
    status: { type: String, required: true },
    openedAt: { type: Date, required: true },
    lastComplaintAt: { type: Date, required: true },
    resolution: Schema.Types.Mixed,
    updatedAt: Date,
  },
  { collection: 'incidents', versionKey: false },
);
incidentSchema.index({ transformerArea: 1, status: 1, lastComplaintAt: -1 });

export function incidentModel(connection: Connection): Model<IncidentDocument> {
  return connection.model<IncidentDocument>('Incident', incidentSchema);
}
