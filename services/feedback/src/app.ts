// Starts and stops the feedback service: staff and survey HTTP routes, reports, the outbox relay, and the event consumer.
import {
  CallbackAttemptRecord,
  CallbackListQuery,
  CallbackOutcomeRecord,
  KpiSeriesQuery,
  precompile,
  ReportQuery,
  StaffRatingsQuery,
  SurveyAnswer,
} from '@complaints/contracts';
import { startService, type RunningService, type ServiceOptions } from '@complaints/platform';
import { loadFeedbackConfig, type FeedbackConfig } from './config';
import { callbackModel } from './data-access/callback-model';
import { CallbackRepository } from './data-access/callback-repository';
import { complaintFactsModel } from './data-access/complaint-facts-model';
import { ComplaintFactsRepository } from './data-access/complaint-facts-repository';
import type { CallbackRules } from './domain/callback-task';
import { systemClock, type Clock } from './domain/clock';
import { SurveyLinks } from './domain/survey-link';
import { callbackRoutes } from './entry-points/http/callback-routes';
import { reportRoutes } from './entry-points/http/report-routes';
import { surveyRoutes } from './entry-points/http/survey-routes';
import { complaintFactsHandlers } from './entry-points/messaging/complaint-facts-consumer';
import { resolutionHandlers } from './entry-points/messaging/resolution-consumer';

export const SERVICE = 'feedback';

export interface FeedbackService extends RunningService {
  callbacks: CallbackRepository;
  facts: ComplaintFactsRepository;
  links: SurveyLinks;
  config: FeedbackConfig;
}

export interface StartOptions extends ServiceOptions {
  env?: NodeJS.ProcessEnv;
  /** "Now" for deadlines, survey expiry and recorded times; tests move it. */
  clock?: Clock;
}

export const rulesOf = (config: FeedbackConfig): CallbackRules => ({
  deadlineHours: config.CALLBACK_DEADLINE_HOURS,
  maxFailedAttempts: config.CALLBACK_MAX_FAILED_ATTEMPTS,
  supervisionAtReopen: config.SUPERVISION_AT_REOPEN,
  surveyChannels: config.SURVEY_CHANNELS,
  surveyTtlHours: config.SURVEY_LINK_TTL_HOURS,
});

export async function start(options: StartOptions = {}): Promise<FeedbackService> {
  const config = loadFeedbackConfig(options.env ?? process.env);
  const clock = options.clock ?? systemClock;
  const rules = rulesOf(config);
  const links = new SurveyLinks(config.SURVEY_LINK_SECRET, clock, config.SURVEY_BASE_URL);
  precompile(
    CallbackAttemptRecord,
    CallbackOutcomeRecord,
    SurveyAnswer,
    CallbackListQuery,
    ReportQuery,
    KpiSeriesQuery,
    StaffRatingsQuery,
  );
  let callbacks!: CallbackRepository;
  let facts!: ComplaintFactsRepository;
  const service = await startService(
    SERVICE,
    config,
    (runtime) => {
      callbacks = new CallbackRepository(callbackModel(runtime.mongo));
      facts = new ComplaintFactsRepository(complaintFactsModel(runtime.mongo));
      return Promise.resolve({
        bodyLimit: config.BODY_LIMIT,
        outboxModels: [callbacks.model],
        routes: (app, auth) => {
          callbackRoutes(app, { auth, callbacks, facts, links, rules, relay: runtime.relay, clock });
          reportRoutes(app, { auth, callbacks, facts, clock });
          surveyRoutes(app, {
            callbacks,
            links,
            rules,
            relay: runtime.relay,
            clock,
            ratePerMinute: config.SURVEY_RATE_LIMIT_PER_MINUTE,
          });
        },
        consumers: [
          {
            group: 'events',
            handlers: {
              ...resolutionHandlers({ callbacks, links, rules, clock, logger: runtime.logger }),
              ...complaintFactsHandlers(facts, clock),
            },
          },
        ],
      });
    },
    options,
  );
  return { ...service, callbacks, facts, links, config };
}
