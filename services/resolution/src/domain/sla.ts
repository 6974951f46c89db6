// Time limits of a work order: when each starts, warns and is missed, which step ends it, and how pauses extend it.
import { SLA_LIMITS, type Deadlines, type SlaLimit } from '@complaints/contracts';
import type { WorkOrderAction } from './transitions';

export interface SlaLimitState {
  startedAt: Date;
  /** The time allowed, as routing set it (deadline minus start). */
  allowedMs: number;
  /** Effective deadline: start + allowed + paused time. */
  deadline: Date;
  /** Effective moment of the early warning (预警). */
  warnAt: Date;
  pausedMs: number;
  warnedAt: Date | null;
  breachedAt: Date | null;
  /** Set when the step this limit measures was done; the limit stops counting. */
  doneAt: Date | null;
}

export type SlaState = Partial<Record<SlaLimit, SlaLimitState>>;

/** Which deadline of the routed event each limit comes from. */
export const DEADLINE_OF: Record<SlaLimit, keyof Deadlines> = {
  dispatch: 'dispatchBy',
  first_contact: 'firstContactBy',
  on_site: 'onSiteBy',
  restore: 'restoreBy',
  resolve: 'resolveBy',
};

/** Which action ends which limits. */
export const LIMITS_DONE_BY: Partial<Record<WorkOrderAction, readonly SlaLimit[]>> = {
  accept: ['dispatch'],
  reassign: ['dispatch'],
  contact: ['first_contact'],
  arrive: ['on_site'],
  resolve: SLA_LIMITS,
  resolve_with_incident: SLA_LIMITS,
  terminate: SLA_LIMITS,
};

function limitFrom(startedAt: Date, deadline: Date, ratio: number, pausedMs = 0): SlaLimitState {
  const allowedMs = Math.max(0, deadline.getTime() - startedAt.getTime());
  return {
    startedAt,
    allowedMs,
    deadline: new Date(startedAt.getTime() + allowedMs + pausedMs),
    warnAt: new Date(startedAt.getTime() + Math.round(allowedMs * ratio) + pausedMs),
    pausedMs,
    warnedAt: null,
    breachedAt: null,
    doneAt: null,
  };
}

/** The limits of a new order, all counted from the moment routing decided. */
export function startLimits(deadlines: Deadlines, startedAt: Date, ratio: number): SlaState {
  const sla: SlaState = {};
  for (const limit of SLA_LIMITS) {
    const deadline = deadlines[DEADLINE_OF[limit]];
    if (deadline) sla[limit] = limitFrom(startedAt, new Date(deadline), ratio);
  }
  return sla;
}

/**
 * A reclassification brings new deadlines: limits not yet done take them (keeping their start and paused
 * time); a warning or breach already emitted stands. Done limits are history and stay as they were.
 */
export function redefineLimits(
  sla: SlaState,
  deadlines: Deadlines,
  orderStart: Date,
  ratio: number,
): SlaState {
  const next: SlaState = {};
  for (const limit of SLA_LIMITS) {
    const current = sla[limit];
    const deadline = deadlines[DEADLINE_OF[limit]];
    if (current?.doneAt) next[limit] = current;
    else if (deadline) {
      const fresh = limitFrom(
        current?.startedAt ?? orderStart,
        new Date(deadline),
        ratio,
        current?.pausedMs ?? 0,
      );
      next[limit] = {
        ...fresh,
        warnedAt: current?.warnedAt ?? null,
        breachedAt: current?.breachedAt ?? null,
      };
    }
  }
  return next;
}

/** A reopened order gets every limit afresh: the same allowance as before, counted from the reopening. */
export function restartLimits(sla: SlaState, at: Date, ratio: number): SlaState {
  const next: SlaState = {};
  for (const limit of SLA_LIMITS) {
    const current = sla[limit];
    if (current) next[limit] = limitFrom(at, new Date(at.getTime() + current.allowedMs), ratio);
  }
  return next;
}

/** Marks the limits an action ends as done. */
export function completeLimits(sla: SlaState, action: WorkOrderAction, at: Date): SlaState {
  const ends = LIMITS_DONE_BY[action] ?? [];
  const next: SlaState = { ...sla };
  for (const limit of ends) {
    const current = next[limit];
    if (current && !current.doneAt) next[limit] = { ...current, doneAt: at };
  }
  return next;
}

/** Time spent waiting on the customer does not count: every limit still running moves out by it. */
export function extendForPause(sla: SlaState, pausedMs: number): SlaState {
  const next: SlaState = { ...sla };
  for (const limit of SLA_LIMITS) {
    const current = next[limit];
    if (!current || current.doneAt || current.breachedAt) continue;
    next[limit] = {
      ...current,
      pausedMs: current.pausedMs + pausedMs,
      deadline: new Date(current.deadline.getTime() + pausedMs),
      warnAt: new Date(current.warnAt.getTime() + pausedMs),
    };
  }
  return next;
}

export interface DueSignal {
  limit: SlaLimit;
  warning: boolean;
  breach: boolean;
}

/**
 * What the scheduler owes for this order now. A breach found before its warning was sent (the service was
 * down through the warning) carries the warning too, so every breach has exactly one warning before it.
 */
export function dueSignals(sla: SlaState, now: Date, paused: boolean): DueSignal[] {
  if (paused) return [];
  const due: DueSignal[] = [];
  for (const limit of SLA_LIMITS) {
    const state = sla[limit];
    if (!state || state.doneAt) continue;
    const breach = !state.breachedAt && now.getTime() >= state.deadline.getTime();
    const warning = !state.warnedAt && (breach || now.getTime() >= state.warnAt.getTime());
    if (warning || breach) due.push({ limit, warning, breach });
  }
  return due;
}

/**
 * The first instant `dueSignals` will return something for this state: a limit's warning not yet sent (at its
 * warnAt, or its deadline if that came first), else its breach not yet recorded (at the deadline). Null when
 * nothing can fall due: paused, or every limit done or fully signalled. Stored on the order so the scheduler
 * finds due orders with one indexed range instead of testing every limit of every open order.
 */
export function nextSlaCheck(sla: SlaState, paused: boolean): Date | null {
  if (paused) return null;
  let next: number | null = null;
  for (const limit of SLA_LIMITS) {
    const state = sla[limit];
    if (!state || state.doneAt) continue;
    const at = !state.warnedAt
      ? Math.min(state.warnAt.getTime(), state.breachedAt ? Infinity : state.deadline.getTime())
      : state.breachedAt
        ? null
        : state.deadline.getTime();
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next === null ? null : new Date(next);
}

/** Share of the allowed time used, paused time excluded. */
export function elapsedRatio(state: SlaLimitState, now: Date): number {
  if (state.allowedMs <= 0) return 1;
  const used = now.getTime() - state.startedAt.getTime() - state.pausedMs;
  return Math.max(0, Math.round((used / state.allowedMs) * 1000) / 1000);
}

/** A limit still running was missed (while paused, only one already recorded as breached counts). */
export function isOverdue(sla: SlaState, now: Date, paused: boolean): boolean {
  return SLA_LIMITS.some((limit) => {
    const state = sla[limit];
    if (!state || state.doneAt) return false;
    return Boolean(state.breachedAt) || (!paused && now.getTime() > state.deadline.getTime());
  });
}

/** Resolved before the resolution deadline (paused time excluded). */
export function resolvedOnTime(sla: SlaState, at: Date): boolean {
  const resolve = sla.resolve;
  return !resolve || at.getTime() <= resolve.deadline.getTime();
}
