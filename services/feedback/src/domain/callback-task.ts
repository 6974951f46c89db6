// A callback task (回访) and how one is made from a resolved event: its id, deadline and survey eligibility.
import type { TraceCarrier } from '@complaints/platform';
import type {
  CallbackOutcome,
  ComplaintResolved,
  FAILED_CONTACT_RESULTS,
  Grade,
  RootCause,
  StaffRef,
  Subtype,
} from '@complaints/contracts';

export type CallbackStatus = 'pending' | CallbackOutcome;
export type RecordedVia = 'agent' | 'survey' | 'attempts';

export interface ContactAttempt {
  /** The caller's Idempotency-Key, when given: a retried request records the attempt once. */
  key?: string;
  result: (typeof FAILED_CONTACT_RESULTS)[number];
  note?: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface RecordedOutcome {
  outcome: CallbackOutcome;
  rating?: number;
  reason?: string;
  note?: string;
  recordedBy: string;
  recordedVia: RecordedVia;
  recordedAt: Date;
}

export interface ReopenFacts {
  previousGrade: Grade;
  grade: Grade;
  reopenCount: number;
  supervision: boolean;
}

export interface CallbackTask {
  /** CB-<complaintId>-<attempt>: a redelivered resolved event names the same task. */
  _id: string;
  complaintId: string;
  attempt: number;
  workOrderId: string;
  channel: string;
  accountNo: string;
  rootCause: RootCause;
  subtype: Subtype;
  grade: Grade;
  resolvedAt: Date;
  resolvedBy: StaffRef;
  onTime: boolean;
  terminated: boolean;
  resolvedEventId: string;
  dueAt: Date;
  status: CallbackStatus;
  failedAttempts: number;
  contactAttempts: ContactAttempt[];
  outcome?: RecordedOutcome;
  reopen?: ReopenFacts;
  survey?: { token: string; expiresAt: Date };
  /** The complaint's trace where the task was opened; the closed or reopened event continues it. */
  trace?: TraceCarrier;
  createdAt: Date;
  updatedAt: Date;
}

export const callbackIdFor = (complaintId: string, attempt: number) => `CB-${complaintId}-${attempt}`;

export interface CallbackRules {
  deadlineHours: number;
  maxFailedAttempts: number;
  supervisionAtReopen: number;
  surveyChannels: readonly string[];
  surveyTtlHours: number;
}

const HOUR_MS = 3_600_000;

/** The task a resolution asks for; the survey token is added by the caller, who holds the secret. */
export function newCallbackTask(
  resolved: ComplaintResolved,
  eventId: string,
  rules: CallbackRules,
  now: Date,
): CallbackTask {
  const resolvedAt = new Date(resolved.resolvedAt);
  return {
    _id: callbackIdFor(resolved.complaintId, resolved.attempt),
    complaintId: resolved.complaintId,
    attempt: resolved.attempt,
    workOrderId: resolved.workOrderId,
    channel: resolved.channel,
    accountNo: resolved.accountNo,
    rootCause: resolved.rootCause,
    subtype: resolved.subtype,
    grade: resolved.grade,
    resolvedAt,
    resolvedBy: resolved.resolvedBy,
    onTime: resolved.onTime,
    terminated: resolved.terminated ?? false,
    resolvedEventId: eventId,
    dueAt: new Date(resolvedAt.getTime() + rules.deadlineHours * HOUR_MS),
    status: 'pending',
    failedAttempts: 0,
    contactAttempts: [],
    createdAt: now,
    updatedAt: now,
  };
}

export const offersSurvey = (channel: string, rules: CallbackRules) => rules.surveyChannels.includes(channel);

export const surveyExpiry = (now: Date, rules: CallbackRules) =>
  new Date(now.getTime() + rules.surveyTtlHours * HOUR_MS);

export const isOverdue = (task: Pick<CallbackTask, 'status' | 'dueAt'>, now: Date) =>
  task.status === 'pending' && task.dueAt.getTime() < now.getTime();
