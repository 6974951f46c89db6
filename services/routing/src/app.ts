// Starts and stops the routing service: consumes received complaints, emits routing decisions, serves staff routes.
import { readFileSync } from 'node:fs';
import { ClassifyRequest, CustomerImport, ReclassifyRequest, precompile } from '@complaints/contracts';
import { startService, type RunningService, type ServiceOptions } from '@complaints/platform';
import { loadRoutingConfig } from './config';
import { CustomerDirectory, readDirectoryFile } from './data-access/customer-directory';
import { RoutingRepository } from './data-access/routing-repository';
import { BusinessCalendar, type CalendarConfig } from './domain/business-calendar';
import type { RoutingDeps } from './domain/route-complaint';
import { routingRoutes } from './entry-points/http/routing-routes';
import { routingHandlers } from './entry-points/messaging/routing-consumer';

export const SERVICE = 'routing';

export interface RoutingService extends RunningService {
  deps: RoutingDeps;
}

export interface StartOptions extends ServiceOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests pin the clock; production uses the wall clock. */
  now?: () => Date;
}

export async function start(options: StartOptions = {}): Promise<RoutingService> {
  const config = loadRoutingConfig(options.env ?? process.env);
  const calendar = new BusinessCalendar(
    JSON.parse(readFileSync(config.BUSINESS_CALENDAR_FILE, 'utf8')) as CalendarConfig,
  );
  const directoryFile = config.CUSTOMER_DIRECTORY_FILE
    ? readDirectoryFile(config.CUSTOMER_DIRECTORY_FILE)
    : [];
  precompile(ClassifyRequest, ReclassifyRequest, CustomerImport);
  let deps!: RoutingDeps;
  const service = await startService(
    SERVICE,
    config,
    async (runtime) => {
      const repository = new RoutingRepository(runtime.mongo);
      const directory = new CustomerDirectory(runtime.mongo);
      if (directoryFile.length) {
        await directory.upsert(directoryFile);
        runtime.logger.info({ customers: directoryFile.length }, 'customer directory loaded');
      }
      deps = {
        repository,
        directory,
        policy: {
          calendar,
          supervisionThreshold: config.SUPERVISION_REPEAT_COUNT,
          sla: {
            dispatchMinutes: config.SLA_DISPATCH_MINUTES,
            firstContactHours: config.SLA_FIRST_CONTACT_HOURS,
            resolveWorkingDays: config.SLA_RESOLVE_WORKING_DAYS,
            onSiteMinutes: {
              urban: config.SLA_ON_SITE_MINUTES_URBAN,
              rural: config.SLA_ON_SITE_MINUTES_RURAL,
              remote: config.SLA_ON_SITE_MINUTES_REMOTE,
            },
            restoreHoursAfterArrival: {
              urban: config.SLA_RESTORE_HOURS_URBAN,
              rural: config.SLA_RESTORE_HOURS_RURAL,
              remote: config.SLA_RESTORE_HOURS_REMOTE,
            },
          },
        },
        reviewThreshold: config.REVIEW_THRESHOLD,
        repeatWindowDays: config.REPEAT_WINDOW_DAYS,
        now: options.now ?? (() => new Date()),
        published: (id, entries) => runtime.relay.notify(repository.model, id, entries),
      };
      return {
        outboxModels: [repository.model],
        bodyLimit: '6mb',
        routes: (app, auth) => routingRoutes(app, auth, { ...deps, metrics: runtime.metrics }),
        consumers: [{ group: 'router', handlers: routingHandlers(deps) }],
      };
    },
    options,
  );
  return { ...service, deps };
}
