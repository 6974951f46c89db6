// Partner-facing routes: submit a complaint, read its status.
import type { Express, Request } from 'express';
import { ComplaintSubmission, type ComplaintStatus } from '@complaints/contracts';
import {
  authenticate,
  parseBody,
  problems,
  RateLimiter,
  type AuthOptions,
  type DirectAnswer,
  type DirectRoute,
  type OutboxRelay,
  type Principal,
} from '@complaints/platform';
import type { ComplaintRepository } from '../../data-access/complaint-repository';
import type { TimelineRepository } from '../../data-access/timeline-repository';
import { acceptComplaint } from '../../domain/accept-complaint';
import { IDEMPOTENCY_KEY_PATTERN } from '../../domain/complaint-id';

export interface ComplaintRouteDeps {
  repository: ComplaintRepository;
  timeline: TimelineRepository;
  relay: OutboxRelay;
  limiter: RateLimiter;
}

/** One budget per partner key or staff member, shared by every route of this file. */
export function complaintRateLimiter(ratePerSecond: number, windowMs: number): RateLimiter {
  return new RateLimiter({
    limit: Math.max(1, Math.round((ratePerSecond * windowMs) / 1000)),
    windowMs,
    detail: `This key may send ${ratePerSecond} requests per second; retry after the Retry-After delay.`,
  });
}

const budgetOf = (principal: Principal | undefined): string =>
  principal?.kind === 'partner' ? principal.keyId : (principal?.staffId ?? 'anonymous');

/** Accepts one submission; shared by the direct route and the Express route of POST /v1/complaints. */
async function submit(
  deps: ComplaintRouteDeps,
  principal: Principal | undefined,
  idempotencyKey: string | undefined,
  body: unknown,
): Promise<DirectAnswer> {
  if (principal?.kind !== 'partner') throw problems.forbidden('Only partner channels submit complaints.');
  if (idempotencyKey === undefined || !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    throw problems.validation(
      [
        {
          field: 'Idempotency-Key',
          message:
            idempotencyKey === undefined ? 'header is required' : 'must be 1–200 printable ASCII characters',
        },
      ],
      'Send an Idempotency-Key header, unique per complaint, so a retry cannot create a second complaint.',
    );
  }
  const submission = parseBody(ComplaintSubmission, body);
  const outcome = await acceptComplaint(deps.repository, {
    channel: principal.channel,
    idempotencyKey,
    body: submission,
  });
  if (outcome.created) deps.relay.notify(deps.repository.model, outcome.created._id, outcome.created.outbox);
  return { status: 202, headers: { Location: outcome.answer.links.self }, body: outcome.answer };
}

const SUBMITTERS = { partner: true } as const;

/** POST /v1/complaints without Express: the hot path of every partner channel. */
export function complaintDirectRoutes(deps: ComplaintRouteDeps): DirectRoute[] {
  return [
    {
      method: 'POST',
      path: '/v1/complaints',
      allow: SUBMITTERS,
      limiter: { limiter: deps.limiter, keyOf: budgetOf },
      handle: ({ principal, header, body }) => submit(deps, principal, header('idempotency-key'), body),
    },
  ];
}

export function complaintRoutes(app: Express, auth: AuthOptions, deps: ComplaintRouteDeps): void {
  const limiter = deps.limiter.middleware((req: Request) => budgetOf(req.principal));

  // Answers what the direct route passes on (browsers, other encodings); same handler, same answers.
  app.post('/v1/complaints', authenticate(auth, SUBMITTERS), limiter, async (req, res) => {
    const answer = await submit(deps, req.principal, req.get('idempotency-key'), req.body);
    res.status(answer.status).set(answer.headers).json(answer.body);
  });

  app.get(
    '/v1/complaints/:id',
    authenticate(auth, { partner: true, roles: ['ops', 'supervisor', 'manager'] }),
    limiter,
    async (req, res) => {
      const id = String(req.params.id);
      const doc = await deps.repository.findById(id);
      // Another channel's complaint answers exactly like a missing one, so ids cannot be probed.
      if (!doc || (req.principal?.kind === 'partner' && doc.channel !== req.principal.channel)) {
        throw problems.notFound(`No complaint ${id} for this channel.`);
      }
      const status: ComplaintStatus = {
        id: doc._id,
        channel: doc.channel,
        ...(doc.externalRef ? { externalRef: doc.externalRef } : {}),
        status: doc.status,
        receivedAt: doc.receivedAt.toISOString(),
        updatedAt: doc.updatedAt.toISOString(),
        links: { self: `/v1/complaints/${doc._id}`, timeline: `/v1/complaints/${doc._id}/timeline` },
      };
      res.json(status);
    },
  );

  app.get(
    '/v1/complaints/:id/timeline',
    authenticate(auth, { partner: true, roles: ['ops', 'supervisor', 'manager'] }),
    limiter,
    async (req, res) => {
      const id = String(req.params.id);
      const doc = await deps.repository.findById(id);
      if (!doc || (req.principal?.kind === 'partner' && doc.channel !== req.principal.channel)) {
        throw problems.notFound(`No complaint ${id} for this channel.`);
      }
      const steps = await deps.timeline.forComplaint(id);
      // Partners see what happened, not the staff-internal reasoning.
      const partner = req.principal?.kind === 'partner';
      res.json({
        complaintId: id,
        status: doc.status,
        steps: steps.map((s) => ({
          at: s.at,
          service: s.service,
          step: s.step,
          actor: partner && s.actor.startsWith('staff:') ? 'staff' : s.actor,
          summary: s.summary,
          ...(s.traceId ? { traceId: s.traceId } : {}),
          ...(!partner && s.details ? { details: s.details } : {}),
        })),
      });
    },
  );
}
