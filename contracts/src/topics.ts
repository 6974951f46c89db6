// Topic names and what travels on each: the single table both code and the AsyncAPI document read.
import type { TSchema } from '@sinclair/typebox';
import { ComplaintActivity } from './events/activity';
import { ComplaintClosed, ComplaintReopened } from './events/closed';
import { ComplaintReceived } from './events/received';
import { ComplaintResolved } from './events/resolved';
import { ComplaintRouted } from './events/routed';
import { SlaBreached, SlaWarning } from './events/sla';

export const TOPICS = {
  received: 'complaints.received.v1',
  routed: 'complaints.routed.v1',
  resolved: 'complaints.resolved.v1',
  closed: 'complaints.closed.v1',
  reopened: 'complaints.reopened.v1',
  slaWarning: 'sla.warning.v1',
  slaBreached: 'sla.breached.v1',
  activity: 'complaints.activity.v1',
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const dlqTopic = (topic: string) => `${topic}.dlq`;

export interface TopicSpec {
  schema: TSchema;
  description: string;
  producer: string;
  consumers: string[];
}

/** Event type equals topic name, so one table serves both. */
export const TOPIC_SPECS: Record<TopicName, TopicSpec> = {
  [TOPICS.received]: {
    schema: ComplaintReceived,
    description: 'A partner channel posted a complaint and intake stored it durably.',
    producer: 'intake',
    consumers: ['routing'],
  },
  [TOPICS.routed]: {
    schema: ComplaintRouted,
    description:
      'Routing found the root cause, grade, account manager, team and deadlines (again after a reclassification).',
    producer: 'routing',
    consumers: ['resolution', 'feedback'],
  },
  [TOPICS.resolved]: {
    schema: ComplaintResolved,
    description: 'A work order was resolved (or terminated); the customer is to be called back.',
    producer: 'resolution',
    consumers: ['feedback'],
  },
  [TOPICS.closed]: {
    schema: ComplaintClosed,
    description: 'The callback closed the complaint (satisfied, basically satisfied or unreachable).',
    producer: 'feedback',
    consumers: ['resolution'],
  },
  [TOPICS.reopened]: {
    schema: ComplaintReopened,
    description: 'The customer was dissatisfied; the complaint goes back to resolution with a raised grade.',
    producer: 'feedback',
    consumers: ['resolution'],
  },
  [TOPICS.slaWarning]: {
    schema: SlaWarning,
    description: '75% (configurable) of a time limit has passed on a work order.',
    producer: 'resolution',
    consumers: ['feedback'],
  },
  [TOPICS.slaBreached]: {
    schema: SlaBreached,
    description: 'A time limit was missed; the order is escalated to the supervisor (督办).',
    producer: 'resolution',
    consumers: ['feedback'],
  },
  [TOPICS.activity]: {
    schema: ComplaintActivity,
    description:
      'A lifecycle step for the timeline: work-order transitions, pauses, escalations, incident links, callback attempts.',
    producer: 'resolution, feedback',
    consumers: ['intake'],
  },
};

export const ALL_TOPICS = Object.values(TOPICS);

/** Kafka headers every event carries besides the structured CloudEvent value. */
export const EVENT_HEADERS = {
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  dlqReason: 'dlq-reason',
  dlqSourceTopic: 'dlq-source-topic',
  dlqSourcePartition: 'dlq-source-partition',
  dlqSourceOffset: 'dlq-source-offset',
  dlqAttempts: 'dlq-attempts',
  dlqConsumerGroup: 'dlq-consumer-group',
} as const;
