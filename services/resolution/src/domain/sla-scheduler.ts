// The time-limit scheduler: finds due warnings and breaches, claims each with a conditional write so it fires exactly once.
import type { CloudEvent } from '@complaints/contracts';
import { currentTraceCarrier, toOutboxEntry, type Logger, type OutboxRelay } from '@complaints/platform';
import type { WorkOrderDocument } from '../data-access/work-order-model';
import type { WorkOrderRepository } from '../data-access/work-order-repository';
import type { Clock } from './clock';
import type { Incidents } from './incidents';
import { dueSignals, type DueSignal } from './sla';
import { slaBreachedEvent, slaWarningEvent } from './work-order';

export interface SchedulerSettings {
  tickMs: number;
  batchSize: number;
  escalateTo: string;
}

export interface TickResult {
  warnings: number;
  breaches: number;
}

/**
 * All state lives in the work orders (warnedAt / breachedAt per limit), so a restarted service, or a second
 * instance, picks up exactly where the others left off; the claim's filter decides who emits. Each order also
 * stores when it next has something due (`slaCheckAt`), so a tick reads only due orders, through one index.
 */
export class SlaScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickResult> = Promise.resolve({ warnings: 0, breaches: 0 });
  private stopped = true;
  /** Orders stored before `slaCheckAt` existed get it on the first tick. */
  private backfilled = false;

  constructor(
    private readonly repository: WorkOrderRepository,
    private readonly incidents: Incidents,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly settings: SchedulerSettings,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    const loop = () => {
      this.tick()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'time-limit tick failed; retrying next tick'),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.settings.tickMs);
        });
    };
    this.timer = setTimeout(loop, this.settings.tickMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }

  /** One pass; ticks of one instance run one after another. Tests call this directly. */
  tick(): Promise<TickResult> {
    const next = this.running.catch(() => undefined).then(() => this.runOnce());
    this.running = next;
    return next;
  }

  private async runOnce(): Promise<TickResult> {
    const result: TickResult = { warnings: 0, breaches: 0 };
    if (!this.backfilled) {
      const updated = await this.repository.backfillSlaChecks();
      if (updated) this.logger.info({ updated }, 'work orders given their next time-limit check');
      this.backfilled = true;
    }
    const now = this.clock.now();
    for (;;) {
      const due = await this.repository.findDue(now, this.settings.batchSize);
      let claimed = 0;
      for (const found of due) {
        let order: WorkOrderDocument | null = found;
        const signals = dueSignals(found.sla, now, found.pausedAt !== null);
        for (const [i, signal] of signals.entries()) {
          if (!order) break;
          if (await this.emit(order, signal, now)) {
            claimed++;
            if (signal.warning) result.warnings++;
            if (signal.breach) result.breaches++;
            // A claim is conditional on the version it read: the next limit's claim needs the order as it is now.
            if (i < signals.length - 1) order = await this.repository.findById(order._id);
          }
        }
      }
      if (due.length < this.settings.batchSize || claimed === 0) break;
    }
    for (const incident of await this.incidents.repository.findResolving(this.settings.batchSize)) {
      await this.incidents.finish(incident._id);
    }
    if (result.warnings || result.breaches) this.logger.info(result, 'time-limit signals emitted');
    return result;
  }

  private async emit(order: WorkOrderDocument, signal: DueSignal, now: Date): Promise<boolean> {
    const { limit } = signal;
    const events: Array<CloudEvent<unknown>> = [
      ...(signal.warning ? [slaWarningEvent(order, limit, now)] : []),
      ...(signal.breach ? [slaBreachedEvent(order, limit, this.settings.escalateTo, now)] : []),
    ];
    const history = events.map((event) => ({
      at: now,
      action: event.type === 'sla.warning.v1' ? 'sla_warning' : 'sla_breach',
      from: order.status,
      to: order.status,
      by: 'scheduler',
      attempt: order.attempt,
      details: { limit, deadline: order.sla[limit]!.deadline.toISOString() },
      ...(event.type === 'sla.breached.v1'
        ? { reason: `${limit} time limit missed: escalated to ${this.settings.escalateTo} (督办)` }
        : {}),
    }));
    // SLA events join the complaint's trace; the timeline shows them from their own topics, so no activity copy.
    const entries = events.map((event) => toOutboxEntry(event, order.trace ?? currentTraceCarrier()));
    const claimed = await this.repository.claimSignal(order, signal, now, {
      entries,
      history,
      ...(signal.breach
        ? {
            escalation: {
              at: now,
              by: 'scheduler',
              to: this.settings.escalateTo,
              reason: `${limit} time limit missed (deadline ${order.sla[limit]!.deadline.toISOString()})`,
              limit,
            },
          }
        : {}),
    });
    if (claimed) this.relay.notify(this.repository.model, order._id, entries);
    return claimed;
  }
}
