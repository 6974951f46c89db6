// Each recorded work-order step becomes a complaints.activity.v1 event, so the complaint's timeline shows it.
import { TOPICS, type CloudEvent, type ComplaintActivity } from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import type { HistoryEntry, WorkOrderDocument } from '../data-access/work-order-model';

const SOURCE = '/services/resolution';

function summarise(entry: HistoryEntry): string {
  const who =
    entry.by === 'routing' || entry.by === 'feedback' || entry.by === 'scheduler'
      ? entry.by
      : `${entry.role ?? 'staff'} ${entry.by}`;
  const move = entry.from && entry.from !== entry.to ? `: ${entry.from} → ${entry.to}` : '';
  const incident =
    typeof entry.details?.incidentId === 'string' ? ` (incident ${entry.details.incidentId})` : '';
  const reason = entry.reason ? ` — ${entry.reason}` : '';
  return `Work order ${entry.action.replace(/_/g, ' ')} by ${who}${move}${incident}${reason}`.slice(0, 500);
}

/** Scalars only: the activity contract keeps details small and flat. */
function flatDetails(entry: HistoryEntry): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = { attempt: entry.attempt, status: entry.to };
  for (const [key, value] of Object.entries(entry.details ?? {})) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      out[key] = value as string | number | boolean | null;
    else out[key] = JSON.stringify(value).slice(0, 500);
  }
  return out;
}

/**
 * `sequence` numbers the steps of one order (its history length before the step), so the id is
 * deterministic: a decision retried after a write conflict yields the same ids for the steps it stores.
 */
export function activityEvent(
  order: Pick<WorkOrderDocument, '_id' | 'complaintId' | 'incidentId'>,
  entry: HistoryEntry,
  sequence: number,
): CloudEvent<ComplaintActivity> {
  const actor = ['routing', 'feedback', 'scheduler'].includes(entry.by) ? 'system' : `staff:${entry.by}`;
  const incidentId =
    typeof entry.details?.incidentId === 'string'
      ? entry.details.incidentId
      : (order.incidentId ?? undefined);
  return createEvent({
    topic: TOPICS.activity,
    subject: order.complaintId,
    source: SOURCE,
    id: `${order._id}/activity/${sequence}`,
    time: new Date(entry.at),
    data: {
      complaintId: order.complaintId,
      service: 'resolution',
      step: `work_order.${entry.action.replace(/[^a-z_]/g, '_')}`,
      at: new Date(entry.at).toISOString(),
      actor,
      summary: summarise(entry),
      workOrderId: order._id,
      ...(incidentId ? { incidentId } : {}),
      details: flatDetails(entry),
    },
  });
}
