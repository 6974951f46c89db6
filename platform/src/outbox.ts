// The in-document outbox: an event is stored in the same document as the state change, then a relay publishes it and removes it.
/* eslint-disable @typescript-eslint/no-explicit-any -- the relay serves every aggregate's model, whatever its document type */
import { Schema, type Model } from 'mongoose';
import type { CloudEvent } from '@complaints/contracts';
import { currentTraceCarrier, type TraceCarrier } from './kafka/tracing';
import type { EventPublisher, OutgoingEvent } from './kafka/publisher';
import type { Logger } from './logger';
import type { PlatformMetrics } from './metrics';

export interface OutboxEntry {
  /** The CloudEvents id. */
  _id: string;
  topic: string;
  key: string;
  value: string;
  traceparent?: string;
  tracestate?: string;
  createdAt: Date;
}

export const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    _id: { type: String, required: true },
    topic: { type: String, required: true },
    key: { type: String, required: true },
    value: { type: String, required: true },
    traceparent: String,
    tracestate: String,
    createdAt: { type: Date, required: true },
  },
  { _id: false },
);

/** Add to an aggregate's schema: `outbox` holds events not yet published. */
export function addOutbox(schema: Schema): void {
  schema.add({ outbox: { type: [outboxEntrySchema], default: [] } });
  // Multikey index: the sweep finds documents with old pending events without scanning the collection.
  schema.index({ 'outbox.createdAt': 1 }, { sparse: true });
}

/**
 * Wraps an event for the outbox with the trace it continues: by default the current one; an aggregate that
 * outlives a request (a work order, a callback) passes the complaint's own trace, stored when it was created,
 * so a step taken later by staff still joins the complaint's trace.
 */
export function toOutboxEntry<T>(
  event: CloudEvent<T>,
  trace: TraceCarrier = currentTraceCarrier(),
): OutboxEntry {
  return {
    _id: event.id,
    topic: event.type,
    key: event.subject,
    value: JSON.stringify(event),
    ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
    // When it was stored, not the event's own time: the sweep's grace period counts from here.
    createdAt: new Date(),
  };
}

interface Pending {
  model: Model<any>;
  docId: string;
  entries: OutboxEntry[];
}

export interface OutboxRelayOptions {
  publisher: EventPublisher;
  logger: Logger;
  metrics?: PlatformMetrics;
  /** How often to look for events the fast path did not publish (crash, broker outage). */
  sweepMs: number;
  /** Age after which the sweep takes an event; keeps it from racing the fast path. */
  graceMs?: number;
  batchSize?: number;
}

/**
 * Publishes outbox events. Fast path: a service calls `notify` right after its write, and the relay sends
 * soon after in batches. Safety net: a periodic sweep finds anything left in the documents. An event is
 * removed from its document only after Kafka acknowledged it, so a crash or outage delays events but never
 * drops them; it can publish one twice, which consumers tolerate (they dedupe on the event id).
 */
export class OutboxRelay {
  private readonly models = new Set<Model<any>>();
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  /** The removal of the last published batch, while the fast path publishes the next one. */
  private removing: Promise<void> = Promise.resolve();
  private degraded = false;
  private stopped = true;
  private readonly log: Logger;
  private readonly graceMs: number;
  private readonly batchSize: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.log = options.logger.child({ component: 'outbox-relay' });
    this.graceMs = options.graceMs ?? 2000;
    this.batchSize = options.batchSize ?? 500;
  }

  register(model: Model<any>): void {
    this.models.add(model);
  }

  /** True while the last publish attempt failed; events wait in MongoDB. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = null;
        if (!this.stopped) this.sweepTimer = setTimeout(tick, this.options.sweepMs);
      });
    };
    this.sweepTimer = setTimeout(tick, Math.min(this.options.sweepMs, 100));
  }

  /** Fast path, called after the document holding these entries was written. */
  notify(model: Model<any>, docId: string, entries: OutboxEntry[]): void {
    if (this.stopped || this.degraded || !entries.length) return;
    this.queue.push({ model, docId, entries });
    this.flushing ??= this.flush().finally(() => {
      this.flushing = null;
    });
  }

  private async flush(): Promise<void> {
    // Let the writes of the same tick join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length && !this.degraded) {
      const batch = this.queue.splice(0, this.batchSize);
      try {
        await this.publish(batch);
      } catch (error) {
        this.enterDegraded(error);
        this.queue = [];
        break;
      }
      // The next batch is published while this one is pulled out of its documents: removing costs a database
      // round trip that events waiting behind it need not wait for. One removal at a time, so they cannot pile up.
      await this.removing;
      this.removing = this.remove(batch).catch((error: unknown) => {
        // Published but still stored: the sweep publishes them again after the grace period (consumers dedupe).
        this.log.warn({ err: error, events: countEvents(batch) }, 'could not remove published events');
      });
    }
  }

  /** Publishes every pending event of the given documents, then pulls exactly those events out of them. */
  private async publishAndRemove(batch: Pending[]): Promise<void> {
    await this.publish(batch);
    await this.remove(batch);
  }

  private async publish(batch: Pending[]): Promise<void> {
    const events: OutgoingEvent[] = batch.flatMap((p) =>
      p.entries.map((e) => ({
        topic: e.topic,
        key: e.key,
        value: e.value,
        traceparent: e.traceparent,
        tracestate: e.tracestate,
      })),
    );
    await this.options.publisher.publish(events);
    const metrics = this.options.metrics;
    if (metrics) {
      const now = Date.now();
      for (const p of batch)
        for (const e of p.entries) {
          metrics.published.inc({ topic: e.topic });
          metrics.outboxDelay.observe({ topic: e.topic }, (now - new Date(e.createdAt).getTime()) / 1000);
        }
    }
  }

  /** Pulls exactly the batch's events out of their documents, once Kafka has them. */
  private async remove(batch: Pending[]): Promise<void> {
    const byModel = new Map<Model<any>, Pending[]>();
    for (const p of batch) byModel.set(p.model, [...(byModel.get(p.model) ?? []), p]);
    for (const [model, pendings] of byModel) {
      const eventIds = pendings.flatMap((p) => p.entries.map((e) => e._id));
      await model.updateMany(
        { _id: { $in: pendings.map((p) => p.docId) } },
        { $pull: { outbox: { _id: { $in: eventIds } } } },
      );
    }
  }

  private enterDegraded(error: unknown): void {
    if (!this.degraded)
      this.log.warn({ err: error }, 'publishing failed; events stay stored and will be retried');
    this.degraded = true;
    this.options.metrics?.publishFailures.inc({ reason: (error as Error).name ?? 'Error' });
  }

  /** Publishes whatever is still stored; run periodically and on demand. */
  async sweep(): Promise<number> {
    let published = 0;
    try {
      for (const model of this.models) {
        for (;;) {
          const cutoff = new Date(Date.now() - (this.degraded ? 0 : this.graceMs));
          const docs = (await model
            .find({ 'outbox.createdAt': { $lte: cutoff } }, { outbox: 1 })
            .limit(this.batchSize)
            .lean()
            .exec()) as unknown as Array<{ _id: string; outbox: OutboxEntry[] }>;
          if (!docs.length) break;
          await this.publishAndRemove(docs.map((d) => ({ model, docId: d._id, entries: d.outbox })));
          published += docs.reduce((n, d) => n + d.outbox.length, 0);
          if (docs.length < this.batchSize) break;
        }
      }
      if (this.degraded) this.log.info({ published }, 'publishing works again');
      this.degraded = false;
    } catch (error) {
      this.enterDegraded(error);
    }
    return published;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    await this.flushing;
    await this.removing;
    await this.sweeping;
  }
}

const countEvents = (batch: Pending[]) => batch.reduce((n, p) => n + p.entries.length, 0);
