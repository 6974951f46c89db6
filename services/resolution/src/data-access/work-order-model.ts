// The stored work order: routing's decision, lifecycle, time limits, history, and its pending events (the outbox).
import { Schema, type Connection, type Model } from 'mongoose';
import { addOutbox, type OutboxEntry, type TraceCarrier } from '@complaints/platform';
import type {
  AreaType,
  AssetOwner,
  Grade,
  ManagerRole,
  RootCause,
  Segment,
  SlaLimit,
  StaffRef,
  Subtype,
  Team,
  WorkOrderStatus,
} from '@complaints/contracts';
import type { ChargeDecision } from '../domain/charge-rules';
import type { SlaState } from '../domain/sla';

export interface HistoryEntry {
  at: Date;
  action: string;
  from?: WorkOrderStatus;
  to: WorkOrderStatus;
  /** Staff id, or the system that acted: routing, feedback, scheduler. */
  by: string;
  role?: string;
  reason?: string;
  attempt: number;
  details?: Record<string, unknown>;
}

export interface Escalation {
  at: Date;
  by: string;
  to: string;
  reason: string;
  limit?: SlaLimit;
}

export interface Resolution {
  assetOwner: AssetOwner;
  workDone: string;
  resolutionCode: string;
  charge: ChargeDecision;
  resolvedAt: Date;
  resolvedBy: StaffRef;
  onTime: boolean;
  terminated: boolean;
  incidentId?: string;
}

export interface WorkOrderDocument {
  /** WO-<complaint id>: one work order per complaint, so a redelivered routed event cannot make a second. */
  _id: string;
  complaintId: string;
  /** Optimistic concurrency: every write names the version it read and increments it. */
  version: number;
  status: WorkOrderStatus;
  /** 1, then +1 per reopening. */
  attempt: number;
  /** Routing revision applied; a lower one never undoes a higher one. */
  revision: number;
  channel: string;
  accountNo: string;
  rootCause: RootCause;
  subtype: Subtype;
  urgent: boolean;
  segment: Segment;
  vulnerable: boolean;
  areaType: AreaType;
  transformerArea?: string;
  team: Team;
  grade: Grade;
  accountManager: { role: ManagerRole; managerId?: string };
  assigneeId: string | null;
  /** When routing decided; the limits of the first attempt count from here. */
  routedAt: Date;
  sla: SlaState;
  pausedAt: Date | null;
  /**
   * When the time-limit scheduler next has a warning or breach to send (`nextSlaCheck`); null when closed,
   * paused or nothing is left to signal. Kept by the repository on every write that changes the limits.
   */
  slaCheckAt?: Date | null;
  incidentId: string | null;
  supervision: boolean;
  escalations: Escalation[];
  resolution: Resolution | null;
  history: HistoryEntry[];
  /** Ids of consumed events already applied: redelivery changes nothing. */
  appliedEvents: string[];
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
  /** The complaint's trace where the order was created; later events continue it. */
  trace?: TraceCarrier;
}

const workOrderSchema = new Schema<WorkOrderDocument>(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true },
    version: { type: Number, required: true },
    status: { type: String, required: true },
    attempt: { type: Number, required: true },
    revision: { type: Number, required: true },
    channel: { type: String, required: true },
    accountNo: { type: String, required: true },
    rootCause: { type: String, required: true },
    subtype: { type: String, required: true },
    urgent: { type: Boolean, required: true },
    segment: { type: String, required: true },
    vulnerable: { type: Boolean, required: true },
    areaType: { type: String, required: true },
    transformerArea: String,
    team: { type: String, required: true },
    grade: { type: String, required: true },
    accountManager: { type: Schema.Types.Mixed, required: true },
    assigneeId: { type: String, default: null },
    routedAt: { type: Date, required: true },
    sla: { type: Schema.Types.Mixed, default: {} },
    pausedAt: { type: Date, default: null },
    slaCheckAt: { type: Date, default: null },
    incidentId: { type: String, default: null },
    supervision: { type: Boolean, default: false },
    escalations: { type: Schema.Types.Mixed, default: [] },
    resolution: { type: Schema.Types.Mixed, default: null },
    history: { type: Schema.Types.Mixed, default: [] },
    appliedEvents: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    trace: { type: Schema.Types.Mixed, default: undefined },
  },
  { collection: 'work_orders', versionKey: false, minimize: false },
);
workOrderSchema.index({ team: 1, status: 1, createdAt: -1 });
workOrderSchema.index({ incidentId: 1 }, { sparse: true });
workOrderSchema.index({ status: 1 });
workOrderSchema.index({ slaCheckAt: 1 });
addOutbox(workOrderSchema);

export function workOrderModel(connection: Connection): Model<WorkOrderDocument> {
  return connection.model<WorkOrderDocument>('WorkOrder', workOrderSchema);
}
