// Which lifecycle event moves a complaint to which status, as a table.
import { TOPICS, type ComplaintStatus } from '@complaints/contracts';

export const STATUS_BY_TOPIC: Partial<Record<string, ComplaintStatus['status']>> = {
  [TOPICS.routed]: 'routed',
  [TOPICS.resolved]: 'resolved',
  [TOPICS.closed]: 'closed',
  [TOPICS.reopened]: 'reopened',
};
