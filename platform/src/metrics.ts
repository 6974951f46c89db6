// Prometheus metrics every service exposes at /metrics; services add their own counters to the same registry.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PlatformMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  consumed: Counter<'topic' | 'outcome'>;
  published: Counter<'topic'>;
  publishFailures: Counter<'reason'>;
}

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
  };
}
