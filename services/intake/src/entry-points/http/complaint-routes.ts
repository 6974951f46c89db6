// Partner-facing routes: submit a complaint, read its status.
import type { Express, Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ComplaintSubmission, type ComplaintStatus } from '@complaints/contracts';
import {
  AppError,
  authenticate,
  parseBody,
  problems,
  type AuthOptions,
  type OutboxRelay,
} from '@complaints/platform';
import type { ComplaintRepository } from '../../data-access/complaint-repository';
import type { TimelineRepository } from '../../data-access/timeline-repository';
import { acceptComplaint } from '../../domain/accept-complaint';
import { IDEMPOTENCY_KEY_PATTERN } from '../../domain/complaint-id';

export interface ComplaintRouteDeps {
  auth: AuthOptions;
  repository: ComplaintRepository;
  timeline: TimelineRepository;
  relay: OutboxRelay;
  ratePerSecond: number;
  rateWindowMs: number;
}

function channelOf(req: Request): string {
  if (req.principal?.kind !== 'partner') throw problems.forbidden('Only partner channels submit complaints.');
  return req.principal.channel;
}

export function complaintRoutes(app: Express, deps: ComplaintRouteDeps): void {
  const limiter = rateLimit({
    windowMs: deps.rateWindowMs,
    limit: Math.max(1, Math.round((deps.ratePerSecond * deps.rateWindowMs) / 1000)),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) =>
      req.principal?.kind === 'partner' ? req.principal.keyId : (req.principal?.staffId ?? 'anonymous'),
    handler: (_req, _res, next) =>
      next(
        new AppError({
          status: 429,
          type: 'urn:problem:rate-limited',
          title: 'Too many requests',
          detail: `This key may send ${deps.ratePerSecond} requests per second; retry after the Retry-After delay.`,
        }),
      ),
  });

  app.post('/v1/complaints', authenticate(deps.auth, { partner: true }), limiter, async (req, res) => {
    const channel = channelOf(req);
    const idempotencyKey = req.get('idempotency-key');
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw problems.validation(
        [
          {
            field: 'Idempotency-Key',
            message:
              idempotencyKey === undefined
                ? 'header is required'
                : 'must be 1–200 printable ASCII characters',
          },
        ],
        'Send an Idempotency-Key header, unique per complaint, so a retry cannot create a second complaint.',
      );
    }
    const body = parseBody(ComplaintSubmission, req.body);
    const outcome = await acceptComplaint(deps.repository, { channel, idempotencyKey, body });
    if (outcome.created)
      deps.relay.notify(deps.repository.model, outcome.created._id, outcome.created.outbox);
    res.status(202).location(outcome.answer.links.self).json(outcome.answer);
  });

  app.get(
    '/v1/complaints/:id',
    authenticate(deps.auth, { partner: true, roles: ['ops', 'supervisor', 'manager'] }),
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
    authenticate(deps.auth, { partner: true, roles: ['ops', 'supervisor', 'manager'] }),
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
