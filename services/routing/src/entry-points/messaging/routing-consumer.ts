// Consumes received complaints (to route them) and callback outcomes (closures feed repeat detection).
import {
  TOPICS,
  type CloudEvent,
  type ComplaintClosed,
  type ComplaintReceived,
  type ComplaintReopened,
} from '@complaints/contracts';
import type { EventHandler } from '@complaints/platform';
import { routeReceived, type RoutingDeps } from '../../domain/route-complaint';

export function routingHandlers(deps: RoutingDeps): Record<string, EventHandler<never>> {
  return {
    [TOPICS.received]: async (event: CloudEvent<ComplaintReceived>) => {
      await routeReceived(deps, event.data);
    },
    [TOPICS.closed]: async (event: CloudEvent<ComplaintClosed>) => {
      await deps.repository.markClosed(event.data.complaintId, new Date(event.data.closedAt));
    },
    [TOPICS.reopened]: async (event: CloudEvent<ComplaintReopened>) => {
      await deps.repository.markReopened(event.data.complaintId);
    },
  };
}
