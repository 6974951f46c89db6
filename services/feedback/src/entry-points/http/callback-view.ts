// What staff see of a callback task: dates as ISO strings, the overdue flag, the survey link, the customer's contact.
import type { CallbackTaskView, Customer } from '@complaints/contracts';
import { isOverdue, type CallbackTask } from '../../domain/callback-task';
import type { SurveyLinks } from '../../domain/survey-link';

export function callbackView(
  task: CallbackTask,
  links: SurveyLinks,
  now: Date,
  contact?: Pick<Customer, 'name' | 'phone'>,
): CallbackTaskView {
  const { outcome, reopen, survey } = task;
  return {
    id: task._id,
    complaintId: task.complaintId,
    attempt: task.attempt,
    workOrderId: task.workOrderId,
    channel: task.channel,
    accountNo: task.accountNo,
    ...(contact ? { customer: contact } : {}),
    rootCause: task.rootCause,
    subtype: task.subtype,
    grade: task.grade,
    resolvedAt: task.resolvedAt.toISOString(),
    resolvedBy: task.resolvedBy,
    onTime: task.onTime,
    terminated: task.terminated,
    dueAt: task.dueAt.toISOString(),
    overdue: isOverdue(task, now),
    status: task.status,
    failedAttempts: task.failedAttempts,
    contactAttempts: task.contactAttempts.map((a) => ({
      result: a.result,
      ...(a.note !== undefined ? { note: a.note } : {}),
      recordedBy: a.recordedBy,
      recordedAt: a.recordedAt.toISOString(),
    })),
    ...(outcome
      ? {
          outcome: {
            outcome: outcome.outcome,
            ...(outcome.rating !== undefined ? { rating: outcome.rating } : {}),
            ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
            ...(outcome.note !== undefined ? { note: outcome.note } : {}),
            recordedBy: outcome.recordedBy,
            recordedVia: outcome.recordedVia,
            recordedAt: outcome.recordedAt.toISOString(),
          },
        }
      : {}),
    ...(reopen ? { reopen } : {}),
    ...(survey
      ? { surveyLink: { url: links.url(survey.token), expiresAt: survey.expiresAt.toISOString() } }
      : {}),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}
