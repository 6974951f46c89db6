// Keeps each complaint's status current from the lifecycle events the other services publish.
import { TOPICS, type CloudEvent, type ComplaintResolved } from '@complaints/contracts';
import type { EventHandler } from '@complaints/platform';
import type { ComplaintRepository } from '../../data-access/complaint-repository';
import { STATUS_BY_TOPIC } from '../../domain/complaint-status';

export const STATUS_TOPICS = [TOPICS.routed, TOPICS.resolved, TOPICS.closed, TOPICS.reopened] as const;

export function statusHandlers(repository: ComplaintRepository): Record<string, EventHandler> {
  const apply: EventHandler = async (event) => {
    let status = STATUS_BY_TOPIC[event.type];
    if (!status) return;
    if (event.type === TOPICS.resolved && (event as CloudEvent<ComplaintResolved>).data.terminated)
      status = 'terminated';
    // Redelivered or late events carry an older time and change nothing.
    await repository.applyStatus(event.subject, status, new Date(event.time));
  };
  return Object.fromEntries(STATUS_TOPICS.map((topic) => [topic, apply]));
}
