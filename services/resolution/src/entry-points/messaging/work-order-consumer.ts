// Turns routing and feedback events into work-order changes; every handler is idempotent.
import {
  TOPICS,
  type ComplaintClosed,
  type ComplaintReopened,
  type ComplaintRouted,
} from '@complaints/contracts';
import type { ConsumerDefinition, EventHandler } from '@complaints/platform';
import type { WorkOrders } from '../../domain/work-orders';

export function workOrderHandlers(workOrders: WorkOrders): ConsumerDefinition['handlers'] {
  const routed: EventHandler<ComplaintRouted> = (event) => workOrders.onRouted(event);
  const reopened: EventHandler<ComplaintReopened> = (event) => workOrders.onReopened(event);
  const closed: EventHandler<ComplaintClosed> = (event) => workOrders.onClosed(event);
  return { [TOPICS.routed]: routed, [TOPICS.reopened]: reopened, [TOPICS.closed]: closed };
}
