// Mass-outage incidents: linking by hand, and resolving an incident by resolving each linked order in its own write.
import { problems } from '@complaints/platform';
import type { IncidentDocument, IncidentResolutionRecord } from '../data-access/incident-model';
import type { IncidentRepository } from '../data-access/incident-repository';
import type { Clock } from './clock';
import type { Actor, ResolutionInput } from './work-order';
import type { WorkOrders } from './work-orders';

export class Incidents {
  constructor(
    readonly repository: IncidentRepository,
    private readonly workOrders: WorkOrders,
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<IncidentDocument> {
    const incident = await this.repository.findById(id);
    if (!incident) throw problems.notFound(`No incident ${id}.`);
    return incident;
  }

  async link(id: string, workOrderId: string, actor: Actor, reason?: string): Promise<void> {
    const incident = await this.get(id);
    if (incident.status !== 'open')
      throw problems.conflict(`Incident ${id} is ${incident.status}; link orders to an open incident.`);
    await this.workOrders.act(workOrderId, { action: 'link_incident', incidentId: id, reason }, actor);
  }

  async unlink(id: string, workOrderId: string, actor: Actor, reason?: string): Promise<void> {
    await this.get(id);
    await this.workOrders.act(workOrderId, { action: 'unlink_incident', incidentId: id, reason }, actor);
  }

  /**
   * Resolving an incident resolves every linked open order, one single-document write each, each emitting
   * its own resolved event. The incident is `resolving` until the walk ends; a retry (or the scheduler after
   * a crash) walks again with the resolution first recorded, and orders already resolved are skipped.
   */
  async resolve(
    id: string,
    input: ResolutionInput,
    actor: Actor,
  ): Promise<{ incident: IncidentDocument; resolved: number }> {
    const incident = await this.get(id);
    if (incident.status === 'open') {
      const record: IncidentResolutionRecord = {
        assetOwner: input.assetOwner,
        workDone: input.workDone,
        resolutionCode: input.resolutionCode,
        resolvedAt: this.clock.now(),
        resolvedBy: { staffId: actor.staffId, ...(actor.team ? { team: actor.team } : {}) },
      };
      await this.repository.startResolving(id, record);
    }
    const resolved = await this.finish(id);
    return { incident: await this.get(id), resolved };
  }

  /** Walks the open orders of a resolving incident; returns how many this run resolved. */
  async finish(id: string): Promise<number> {
    const incident = await this.get(id);
    if (incident.status === 'open' || !incident.resolution) return 0;
    const { resolution } = incident;
    let resolved = 0;
    for (const workOrderId of await this.workOrders.repository.openIdsOfIncident(id)) {
      const outcome = await this.workOrders.act(
        workOrderId,
        {
          action: 'resolve_with_incident',
          incidentId: id,
          resolution: {
            assetOwner: resolution.assetOwner,
            workDone: resolution.workDone,
            resolutionCode: resolution.resolutionCode,
          },
          resolvedAt: new Date(resolution.resolvedAt),
          resolvedBy: resolution.resolvedBy,
        },
        { staffId: resolution.resolvedBy.staffId, role: 'incident', team: resolution.resolvedBy.team },
      );
      if (outcome.changed) resolved++;
    }
    await this.repository.finishResolving(id, this.clock.now());
    return resolved;
  }
}
