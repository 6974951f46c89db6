// Prometheus metrics every service exposes at /metrics; services add their own counters to the same registry.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PlatformMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  consumed: Counter<'topic' | 'outcome'>;
  published: Counter<'topic'>;
  publishFailures: Counter<'reason'>;
  /** Time from an event's append to the broker until its handler starts: how far behind a consumer runs. */
  consumeLag: Histogram<'topic'>;
  /** How long handlers take per event. */
  handleDuration: Histogram<'topic'>;
  /** Time from an event being stored in an outbox until Kafka acknowledged it. */
  outboxDelay: Histogram<'topic'>;
}

/** From 5 ms to 5 minutes: a hop's usual latency up to a consumer far behind. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export function createMetrics(service: string): PlatformMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'events_consumed_total',
      help: 'Consumed events by topic and outcome (handled, duplicate, dead_lettered)',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
    published: new Counter({
      name: 'events_published_total',
      help: 'Events published from the outbox by topic',
      labelNames: ['topic'],
      registers: [registry],
    }),
    publishFailures: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Failed outbox publish attempts (events stay stored and are retried)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    consumeLag: new Histogram({
      name: 'event_consume_lag_seconds',
      help: 'Time from the broker appending an event until its handler starts, by topic',
      labelNames: ['topic'],
      buckets: LAG_BUCKETS,
      registers: [registry],
    }),
    handleDuration: new Histogram({
      name: 'event_handle_duration_seconds',
      help: 'Handler duration per consumed event, by topic',
      labelNames: ['topic'],
      buckets: LAG_BUCKETS,
      registers: [registry],
    }),
    outboxDelay: new Histogram({
      name: 'outbox_publish_delay_seconds',
      help: 'Time from an event being stored in an outbox until the broker acknowledged it, by topic',
      labelNames: ['topic'],
      buckets: LAG_BUCKETS,
      registers: [registry],
    }),
  };
}
