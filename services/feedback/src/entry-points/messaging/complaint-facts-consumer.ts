// Keeps the complaint projection (contact, classification, grade, area, revisions) from received and routed events.
import { TOPICS, type ComplaintReceived, type ComplaintRouted } from '@complaints/contracts';
import type { EventHandler } from '@complaints/platform';
import type { ComplaintFactsRepository } from '../../data-access/complaint-facts-repository';
import type { Clock } from '../../domain/clock';

export function complaintFactsHandlers(
  facts: ComplaintFactsRepository,
  clock: Clock,
): Record<string, EventHandler<ComplaintReceived> | EventHandler<ComplaintRouted>> {
  const received: EventHandler<ComplaintReceived> = (event) => facts.applyReceived(event.data, clock());
  const routed: EventHandler<ComplaintRouted> = (event) => facts.applyRouted(event.data, clock());
  return { [TOPICS.received]: received, [TOPICS.routed]: routed };
}
