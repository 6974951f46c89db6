// Starts and stops the resolution service: staff HTTP routes, the routing/feedback consumer, the time-limit scheduler, the outbox relay.
import {
  IncidentLink,
  IncidentResolution,
  precompile,
  WorkOrderContact,
  WorkOrderEscalation,
  WorkOrderNote,
  WorkOrderPause,
  WorkOrderQuery,
  WorkOrderReassignment,
  WorkOrderResolution,
  WorkOrderTermination,
} from '@complaints/contracts';
import { startService, type RunningService, type ServiceOptions } from '@complaints/platform';
import { loadResolutionConfig } from './config';
import { incidentModel } from './data-access/incident-model';
import { IncidentRepository } from './data-access/incident-repository';
import { workOrderModel } from './data-access/work-order-model';
import { WorkOrderRepository } from './data-access/work-order-repository';
import { systemClock, type Clock } from './domain/clock';
import { Incidents } from './domain/incidents';
import { SlaScheduler } from './domain/sla-scheduler';
import { WorkOrders } from './domain/work-orders';
import { incidentRoutes } from './entry-points/http/incident-routes';
import { workOrderRoutes } from './entry-points/http/work-order-routes';
import { workOrderHandlers } from './entry-points/messaging/work-order-consumer';

export const SERVICE = 'resolution';

export interface ResolutionService extends RunningService {
  workOrders: WorkOrders;
  incidents: Incidents;
  scheduler: SlaScheduler;
}

export interface StartOptions extends ServiceOptions {
  env?: NodeJS.ProcessEnv;
  /** Where "now" comes from; tests pass a clock they move. */
  clock?: Clock;
}

export async function start(options: StartOptions = {}): Promise<ResolutionService> {
  const config = loadResolutionConfig(options.env ?? process.env);
  const clock = options.clock ?? systemClock;
  precompile(
    WorkOrderNote,
    WorkOrderContact,
    WorkOrderResolution,
    WorkOrderReassignment,
    WorkOrderEscalation,
    WorkOrderTermination,
    WorkOrderPause,
    WorkOrderQuery,
    IncidentLink,
    IncidentResolution,
  );
  let workOrders!: WorkOrders;
  let incidents!: Incidents;
  let scheduler!: SlaScheduler;
  const service = await startService(
    SERVICE,
    config,
    (runtime) => {
      const repository = new WorkOrderRepository(workOrderModel(runtime.mongo));
      const incidentRepository = new IncidentRepository(incidentModel(runtime.mongo));
      workOrders = new WorkOrders(
        repository,
        incidentRepository,
        runtime.relay,
        clock,
        { warningRatio: config.SLA_WARNING_RATIO, incidentWindowMs: config.INCIDENT_WINDOW_MINUTES * 60_000 },
        runtime.logger.child({ component: 'work-orders' }),
      );
      incidents = new Incidents(incidentRepository, workOrders, clock);
      scheduler = new SlaScheduler(
        repository,
        incidents,
        runtime.relay,
        clock,
        { tickMs: config.SLA_TICK_MS, batchSize: config.SLA_BATCH_SIZE, escalateTo: config.SLA_ESCALATE_TO },
        runtime.logger.child({ component: 'sla-scheduler' }),
      );
      scheduler.start();
      return Promise.resolve({
        bodyLimit: config.BODY_LIMIT,
        outboxModels: [repository.model],
        routes: (app, auth) => {
          workOrderRoutes(app, { auth, workOrders, clock });
          incidentRoutes(app, { auth, incidents, workOrders });
        },
        consumers: [{ group: 'work-orders', handlers: workOrderHandlers(workOrders) }],
        onStop: () => scheduler.stop(),
      });
    },
    options,
  );
  return { ...service, workOrders, incidents, scheduler };
}
