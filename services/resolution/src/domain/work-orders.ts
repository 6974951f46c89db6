// Applies work-order decisions: reads the order, lets the rules decide, stores the change in one conditional write, relays its events.
import type { CloudEvent, ComplaintClosed, ComplaintReopened, ComplaintRouted } from '@complaints/contracts';
import {
  currentTraceCarrier,
  problems,
  toOutboxEntry,
  type Logger,
  type OutboxRelay,
} from '@complaints/platform';
import { activityEvent } from './activity';
import type { IncidentRepository } from '../data-access/incident-repository';
import type { WorkOrderDocument } from '../data-access/work-order-model';
import type { WorkOrderRepository } from '../data-access/work-order-repository';
import type { Clock } from './clock';
import { incidentAreaOf } from './incident-bucket';
import {
  close,
  decideStaffAction,
  isSkip,
  newWorkOrder,
  reclassify,
  reopen,
  workOrderIdFor,
  type Actor,
  type Change,
  type Skip,
  type StaffCommand,
} from './work-order';

export interface WorkOrderSettings {
  warningRatio: number;
  incidentWindowMs: number;
}

export interface Outcome {
  order: WorkOrderDocument;
  changed: boolean;
  skipped?: string;
}

const MAX_CONFLICT_RETRIES = 20;

export class WorkOrders {
  constructor(
    readonly repository: WorkOrderRepository,
    private readonly incidents: IncidentRepository,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly settings: WorkOrderSettings,
    private readonly logger: Logger,
  ) {}

  async get(id: string): Promise<WorkOrderDocument> {
    const order = await this.repository.findById(id);
    if (!order) throw problems.notFound(`No work order ${id}.`);
    return order;
  }

  /**
   * Read, decide, write under the version read; a concurrent writer makes the write miss and the decision is
   * taken again on fresh state. `null` from the rules: nothing to do (a retry of what already happened).
   */
  async mutate(
    id: string,
    decide: (order: WorkOrderDocument, now: Date) => Change | Skip | null,
  ): Promise<Outcome> {
    for (let round = 0; round < MAX_CONFLICT_RETRIES; round++) {
      const order = await this.get(id);
      const now = this.clock.now();
      const decision = decide(order, now);
      if (decision === null) return { order, changed: false };
      if (isSkip(decision)) return { order, changed: false, skipped: decision.skip };
      const steps = decision.history.map((entry, i) => activityEvent(order, entry, order.history.length + i));
      const entries = [...decision.events, ...steps].map((event) =>
        toOutboxEntry(event, order.trace ?? currentTraceCarrier()),
      );
      if (await this.repository.apply(order, decision, entries, now)) {
        if (entries.length) this.relay.notify(this.repository.model, id, entries);
        return { order: await this.get(id), changed: true };
      }
    }
    const busy = problems.conflict(`Work order ${id} is being changed concurrently; retry.`);
    (busy as { transient?: boolean }).transient = true;
    throw busy;
  }

  act(id: string, command: StaffCommand, actor: Actor): Promise<Outcome> {
    return this.mutate(id, (order, now) => decideStaffAction(order, command, actor, now));
  }

  /** complaints.routed.v1: the first revision creates the order (created → assigned), later ones reclassify it. */
  async onRouted(event: CloudEvent<ComplaintRouted>): Promise<void> {
    const id = workOrderIdFor(event.data.complaintId);
    if (!(await this.repository.findById(id))) {
      const now = this.clock.now();
      const area = incidentAreaOf(event.data);
      // The complaint's own time, not the clock: a redelivery joins the same incident.
      const incidentId = area
        ? await this.incidents.join(
            area,
            event.data.team,
            new Date(event.data.routedAt),
            this.settings.incidentWindowMs,
          )
        : null;
      const order = newWorkOrder(event, this.settings.warningRatio, incidentId, now);
      // Inside the consumer's span: the complaint's trace, which every later event of this order continues.
      order.trace = currentTraceCarrier();
      order.outbox = order.history.map((entry, i) =>
        toOutboxEntry(activityEvent(order, entry, i), order.trace),
      );
      const result = await this.repository.insert(order);
      if (result.inserted) {
        this.relay.notify(this.repository.model, id, order.outbox);
        if (incidentId) await this.leaveIfIncidentClosed(id, incidentId);
        this.logger.info(
          { workOrderId: id, team: order.team, grade: order.grade, incidentId },
          'work order created',
        );
        return;
      }
    }
    const outcome = await this.mutate(id, (order, now) =>
      reclassify(order, event, this.settings.warningRatio, now),
    );
    if (outcome.skipped)
      this.logger.info({ workOrderId: id, reason: outcome.skipped }, 'routed event ignored');
  }

  /**
   * No transaction joins the incident and the order: if the incident finished resolving between the two
   * writes, the new order would wait on an incident nobody resolves any more, so it leaves it.
   */
  private async leaveIfIncidentClosed(id: string, incidentId: string): Promise<void> {
    if (await this.incidents.isOpen(incidentId)) return;
    await this.act(
      id,
      {
        action: 'unlink_incident',
        incidentId,
        reason: 'the incident was resolved before this complaint joined it',
      },
      { staffId: 'resolution', role: 'system' },
    );
  }

  async onReopened(event: CloudEvent<ComplaintReopened>): Promise<void> {
    const id = workOrderIdFor(event.data.complaintId);
    const outcome = await this.mutate(id, (order) => reopen(order, event, this.settings.warningRatio));
    if (outcome.skipped)
      this.logger.warn({ workOrderId: id, reason: outcome.skipped }, 'reopened event ignored');
  }

  async onClosed(event: CloudEvent<ComplaintClosed>): Promise<void> {
    const id = workOrderIdFor(event.data.complaintId);
    const outcome = await this.mutate(id, (order) => close(order, event));
    if (outcome.skipped)
      this.logger.warn({ workOrderId: id, reason: outcome.skipped }, 'closed event ignored');
  }
}
