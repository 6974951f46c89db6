// Turns each complaints.resolved.v1 into a callback task; the task id is deterministic, so redelivery is harmless.
import { TOPICS, type ComplaintResolved } from '@complaints/contracts';
import type { EventHandler, Logger } from '@complaints/platform';
import type { CallbackRepository } from '../../data-access/callback-repository';
import type { CallbackRules } from '../../domain/callback-task';
import type { Clock } from '../../domain/clock';
import { openCallback } from '../../domain/open-callback';
import type { SurveyLinks } from '../../domain/survey-link';

export interface ResolutionConsumerDeps {
  callbacks: CallbackRepository;
  links: SurveyLinks;
  rules: CallbackRules;
  clock: Clock;
  logger: Logger;
}

export function resolutionHandlers(
  deps: ResolutionConsumerDeps,
): Record<string, EventHandler<ComplaintResolved>> {
  return {
    [TOPICS.resolved]: async (event) => {
      const created = await openCallback(deps.callbacks, deps.links, deps.rules, event, deps.clock());
      deps.logger.info(
        { complaintId: event.data.complaintId, attempt: event.data.attempt, created },
        created ? 'callback task opened' : 'callback task already open (redelivery)',
      );
    },
  };
}
