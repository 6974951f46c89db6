// Staff routes: try the classifier, see a routing decision and why, correct it, manage customer master data.
import type { Express } from 'express';
import { ClassifyRequest, CustomerImport, ReclassifyRequest } from '@complaints/contracts';
import {
  authenticate,
  parseBody,
  problems,
  type AuthOptions,
  type PlatformMetrics,
} from '@complaints/platform';
import { Counter } from 'prom-client';
import { DirectoryError, parseDirectory, type CustomerDirectory } from '../../data-access/customer-directory';
import type { RoutingDocument, RoutingRepository } from '../../data-access/routing-repository';
import { classify } from '../../domain/classification';
import { reclassify, type RoutingDeps } from '../../domain/route-complaint';

function view(doc: RoutingDocument) {
  return {
    complaintId: doc._id,
    revision: doc.revision,
    decision: doc.decision,
    history: doc.history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
  };
}

export function routingRoutes(
  app: Express,
  auth: AuthOptions,
  deps: RoutingDeps & {
    repository: RoutingRepository;
    directory: CustomerDirectory;
    metrics: PlatformMetrics;
  },
): void {
  const reclassifications = new Counter({
    name: 'routing_reclassifications_total',
    help: 'Classifications corrected by staff, by the root cause before and after',
    labelNames: ['from', 'to'],
    registers: [deps.metrics.registry],
  });

  app.post('/v1/classify', authenticate(auth, { roles: ['ops'] }), (req, res) => {
    const body = parseBody(ClassifyRequest, req.body);
    const result = classify(body.text, { reviewThreshold: deps.reviewThreshold });
    res.json(result);
  });

  app.get(
    '/v1/routing/:complaintId',
    authenticate(auth, { roles: ['ops', 'supervisor', 'manager'] }),
    async (req, res) => {
      const doc = await deps.repository.find(String(req.params.complaintId));
      if (!doc) throw problems.notFound(`Complaint ${String(req.params.complaintId)} has not been routed.`);
      res.json(view(doc));
    },
  );

  app.post(
    '/v1/routing/:complaintId/reclassify',
    authenticate(auth, { roles: ['supervisor'] }),
    async (req, res) => {
      const body = parseBody(ReclassifyRequest, req.body);
      const staffId = req.principal?.kind === 'staff' ? req.principal.staffId : 'unknown';
      const doc = await reclassify(deps, String(req.params.complaintId), body, staffId);
      // The entry before the one just added holds the root cause this correction replaced.
      reclassifications.inc({ from: doc.history.at(-2)?.rootCause ?? 'unknown', to: body.rootCause });
      res.json(view(doc));
    },
  );

  app.post('/v1/customers/import', authenticate(auth, { roles: ['ops'] }), async (req, res) => {
    const body = parseBody(CustomerImport, req.body);
    let records;
    try {
      records = parseDirectory(body);
    } catch (error) {
      if (error instanceof DirectoryError)
        throw problems.validation(error.errors.slice(0, 100), 'Some rows are invalid; nothing was imported.');
      throw problems.badRequest(`The CSV cannot be read: ${(error as Error).message}`, '/csv');
    }
    res.json({ imported: await deps.directory.upsert(records) });
  });

  app.get(
    '/v1/customers/:accountNo',
    authenticate(auth, { roles: ['ops', 'manager', 'supervisor'] }),
    async (req, res) => {
      res.json(await deps.directory.get(String(req.params.accountNo)));
    },
  );
}
