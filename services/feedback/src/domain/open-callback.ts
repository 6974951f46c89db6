// A resolved complaint gets its callback task (and, on app/web/WeChat, a signed survey link); a redelivered event changes nothing.
import type { CloudEvent, ComplaintResolved } from '@complaints/contracts';
import { currentTraceCarrier } from '@complaints/platform';
import type { CallbackRepository } from '../data-access/callback-repository';
import { newCallbackTask, offersSurvey, surveyExpiry, type CallbackRules } from './callback-task';
import type { SurveyLinks } from './survey-link';
import { callbackActivity } from './callback-activity';

export async function openCallback(
  callbacks: CallbackRepository,
  links: SurveyLinks,
  rules: CallbackRules,
  event: CloudEvent<ComplaintResolved>,
  now: Date,
): Promise<boolean> {
  const task = newCallbackTask(event.data, event.id, rules, now);
  // Called inside the consumer's span: the complaint's trace, which the task's closing event continues.
  task.trace = currentTraceCarrier();
  if (offersSurvey(task.channel, rules)) {
    const expiresAt = surveyExpiry(now, rules);
    task.survey = { token: await links.sign(task._id, now, expiresAt), expiresAt };
  }
  const opened = callbackActivity(
    task,
    0,
    'callback.opened',
    `Callback (回访) due by ${task.dueAt.toISOString()}${task.survey ? '; self-service survey link sent' : ''}`,
    'system',
    now,
    { dueAt: task.dueAt.toISOString() },
  );
  return callbacks.insert(task, [opened]);
}
