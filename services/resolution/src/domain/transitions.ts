// The work-order lifecycle as a table: which action is allowed from which status, and where it leads.
import type { WorkOrderStatus } from '@complaints/contracts';

/** Statuses in which someone still has to act: the clock runs, staff may change the order. */
export const OPEN_STATUSES = [
  'assigned',
  'accepted',
  'contacted',
  'on_site',
  'reopened',
] as const satisfies readonly WorkOrderStatus[];

export type WorkOrderAction =
  | 'assign'
  | 'accept'
  | 'contact'
  | 'arrive'
  | 'resolve'
  | 'resolve_with_incident'
  | 'terminate'
  | 'reassign'
  | 'escalate'
  | 'pause'
  | 'resume'
  | 'reclassify'
  | 'link_incident'
  | 'unlink_incident'
  | 'reopen'
  | 'close';

export interface Transition {
  from: readonly WorkOrderStatus[];
  /** `unchanged`: the action records something without moving the order. */
  to: WorkOrderStatus | 'unchanged';
  /** What must have happened first, said to the person who tried too early. */
  hint?: string;
}

export const TRANSITIONS: Record<WorkOrderAction, Transition> = {
  assign: { from: ['created'], to: 'assigned' },
  accept: { from: ['assigned', 'reopened'], to: 'accepted' },
  contact: { from: ['accepted'], to: 'contacted', hint: 'accept the order first' },
  arrive: { from: ['contacted'], to: 'on_site', hint: 'accept the order and contact the customer first' },
  resolve: {
    from: ['contacted', 'on_site'],
    to: 'resolved',
    hint: 'accept the order and contact the customer first',
  },
  // A mass outage is fixed once for everyone: its orders resolve whatever step each had reached.
  resolve_with_incident: { from: OPEN_STATUSES, to: 'resolved' },
  terminate: { from: OPEN_STATUSES, to: 'terminated' },
  reassign: { from: OPEN_STATUSES, to: 'unchanged' },
  escalate: { from: OPEN_STATUSES, to: 'unchanged' },
  pause: { from: OPEN_STATUSES, to: 'unchanged' },
  resume: { from: OPEN_STATUSES, to: 'unchanged' },
  reclassify: { from: OPEN_STATUSES, to: 'unchanged' },
  link_incident: { from: OPEN_STATUSES, to: 'unchanged' },
  unlink_incident: { from: OPEN_STATUSES, to: 'unchanged' },
  reopen: { from: ['resolved', 'terminated'], to: 'reopened' },
  close: { from: ['resolved', 'terminated'], to: 'closed' },
};

export const isOpen = (status: WorkOrderStatus) =>
  (OPEN_STATUSES as readonly WorkOrderStatus[]).includes(status);

export type TransitionCheck = { ok: true; to: WorkOrderStatus } | { ok: false; message: string };

/** Says whether the action may run now and, if not, why in words staff can act on. */
export function checkTransition(action: WorkOrderAction, status: WorkOrderStatus): TransitionCheck {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(status)) {
    const hint = transition.hint && isOpen(status) ? `; ${transition.hint}` : '';
    return {
      ok: false,
      message: `Cannot ${action.replace(/_/g, ' ')} a work order that is ${status}: allowed only when ${transition.from.join(', ')}${hint}.`,
    };
  }
  return { ok: true, to: transition.to === 'unchanged' ? status : transition.to };
}
