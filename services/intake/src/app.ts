// Starts and stops the intake service: HTTP for partners and staff, the ops console, the outbox relay, and the status consumer.
import { ComplaintSearchQuery, ComplaintSubmission, precompile } from '@complaints/contracts';
import { ApiKeyStore, startService, type RunningService, type ServiceOptions } from '@complaints/platform';
import { loadIntakeConfig } from './config';
import { complaintModel } from './data-access/complaint-model';
import { ComplaintRepository } from './data-access/complaint-repository';
import {
  complaintDirectRoutes,
  complaintRateLimiter,
  complaintRoutes,
  type ComplaintRouteDeps,
} from './entry-points/http/complaint-routes';
import { consoleRoutes } from './entry-points/http/console-routes';
import { searchRoutes } from './entry-points/http/search-routes';
import { lifecycleHandlers } from './entry-points/messaging/status-consumer';
import { TimelineRepository } from './data-access/timeline-repository';

export const SERVICE = 'intake';

export interface IntakeService extends RunningService {
  repository: ComplaintRepository;
  timeline: TimelineRepository;
}

export interface StartOptions extends ServiceOptions {
  env?: NodeJS.ProcessEnv;
}

export async function start(options: StartOptions = {}): Promise<IntakeService> {
  const config = loadIntakeConfig(options.env ?? process.env);
  const apiKeys = ApiKeyStore.fromFile(config.API_KEYS_FILE);
  precompile(ComplaintSubmission, ComplaintSearchQuery);
  let repository!: ComplaintRepository;
  let timeline!: TimelineRepository;
  const service = await startService(
    SERVICE,
    config,
    (runtime) => {
      repository = new ComplaintRepository(complaintModel(runtime.mongo));
      timeline = new TimelineRepository(runtime.mongo);
      const complaintDeps: ComplaintRouteDeps = {
        repository,
        timeline,
        relay: runtime.relay,
        limiter: complaintRateLimiter(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_WINDOW_MS),
      };
      return Promise.resolve({
        apiKeys,
        bodyLimit: config.BODY_LIMIT,
        outboxModels: [repository.model],
        directRoutes: complaintDirectRoutes(complaintDeps),
        routes: (app, auth) => {
          searchRoutes(app, { auth, repository });
          complaintRoutes(app, auth, complaintDeps);
          consoleRoutes(app, {
            services: {
              routing: config.ROUTING_URL,
              resolution: config.RESOLUTION_URL,
              feedback: config.FEEDBACK_URL,
            },
          });
        },
        consumers: [{ group: 'lifecycle', handlers: lifecycleHandlers(repository, timeline) }],
      });
    },
    options,
  );
  return { ...service, repository, timeline };
}
