// The customer's self-service survey: no login, the signed link is the credential; one answer per link.
import { randomBytes } from 'node:crypto';
import type { Express, Response } from 'express';
import { SurveyAnswer, type SurveyReceipt, type SurveyView } from '@complaints/contracts';
import { AppError, parseBody, RateLimiter, type OutboxRelay } from '@complaints/platform';
import type { CallbackRepository } from '../../data-access/callback-repository';
import type { CallbackRules, CallbackTask } from '../../domain/callback-task';
import type { Clock } from '../../domain/clock';
import { recordOutcome } from '../../domain/record-outcome';
import { surveyProblems, type SurveyLinks } from '../../domain/survey-link';
import { surveyPage } from './survey-page';

export interface SurveyRouteDeps {
  callbacks: CallbackRepository;
  links: SurveyLinks;
  rules: CallbackRules;
  relay: OutboxRelay;
  clock: Clock;
  ratePerMinute: number;
}

const THANKS = '感谢您的反馈！ Thank you for your feedback.';

/** The token is the credential: keep it out of caches and referrers. */
function privateHeaders(res: Response, nonce?: string): void {
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    ...(nonce
      ? {
          'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        }
      : {}),
  });
}

export function surveyRoutes(app: Express, deps: SurveyRouteDeps): void {
  // Survey links are public: the budget is per client address.
  const limiter = new RateLimiter({
    limit: deps.ratePerMinute,
    windowMs: 60_000,
    detail: '请求过于频繁，请稍后再试。 Too many requests; please try again in a minute.',
  }).middleware((req) => req.ip ?? 'unknown');

  /** The task a link names, if it can still be answered. */
  const openTask = async (token: string): Promise<{ task: CallbackTask; expiresAt: Date }> => {
    const link = await deps.links.verify(token);
    const task = await deps.callbacks.findById(link.callbackId);
    if (!task?.survey) throw surveyProblems.invalid();
    if (task.status !== 'pending') throw surveyProblems.answered();
    return { task, expiresAt: link.expiresAt };
  };

  app.get('/survey/:token', limiter, async (req, res) => {
    const nonce = randomBytes(16).toString('base64');
    privateHeaders(res, nonce);
    try {
      const { task, expiresAt } = await openTask(String(req.params.token));
      res.type('html').send(surveyPage({ kind: 'open', complaintId: task.complaintId, expiresAt }, nonce));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res
        .status(error.status)
        .type('html')
        .send(surveyPage({ kind: 'closed', title: error.title, detail: error.detail ?? '' }, nonce));
    }
  });

  app.get('/v1/survey/:token', limiter, async (req, res) => {
    privateHeaders(res);
    const { task, expiresAt } = await openTask(String(req.params.token));
    const view: SurveyView = {
      complaintId: task.complaintId,
      status: 'open',
      expiresAt: expiresAt.toISOString(),
    };
    res.json(view);
  });

  app.post('/v1/survey/:token', limiter, async (req, res) => {
    privateHeaders(res);
    const link = await deps.links.verify(String(req.params.token));
    const task = await deps.callbacks.findById(link.callbackId);
    if (!task?.survey) throw surveyProblems.invalid();
    const body = parseBody(SurveyAnswer, req.body);
    const recorded = await recordOutcome(
      deps.callbacks,
      deps.rules,
      task._id,
      { ...body, recordedBy: `survey:${task.channel}`, recordedVia: 'survey' },
      deps.clock(),
      {
        // One answer per link, whoever gave it (the customer earlier, or an agent on the phone).
        onFinished: () => {
          throw surveyProblems.answered();
        },
      },
    );
    if (recorded.emitted) deps.relay.notify(deps.callbacks.model, recorded.task._id, [recorded.emitted]);
    const receipt: SurveyReceipt = {
      complaintId: recorded.task.complaintId,
      outcome: recorded.task.status,
      recordedAt: (recorded.task.outcome?.recordedAt ?? deps.clock()).toISOString(),
      message: THANKS,
    };
    res.json(receipt);
  });
}
