// Express app factory: JSON body parsing with limits, health, readiness, metrics, API docs, and RFC 9457 errors.
import express, {
  type ErrorRequestHandler,
  type Express,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import swaggerUi from 'swagger-ui-express';
import { AppError, problems } from '../errors';
import type { Logger } from '../logger';
import type { PlatformMetrics } from '../metrics';
import { authenticate, type AuthOptions } from './auth';
import { problemDocument } from './direct';

export const DEFAULT_BODY_LIMIT = '64kb';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

export interface HttpAppOptions {
  service: string;
  logger: Logger;
  metrics: PlatformMetrics;
  readiness: ReadinessCheck[];
  openApi: object;
  auth: AuthOptions;
  bodyLimit?: string;
  /** Browser origins allowed to call this API from another origin (the ops console); `*` allows any. Default: none. */
  corsOrigins?: string[];
  /** Adds the service's own routes between the platform routes and the error handler. */
  routes: (app: Express) => void;
}

const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const CORS_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Api-Key';
const CORS_EXPOSED = 'Location, Retry-After, RateLimit, RateLimit-Policy';

/**
 * CORS for the allowed origins: preflights are answered here, before auth, and every answer to an allowed
 * origin says so. Tokens travel in the Authorization header, so no credentials mode is offered.
 */
function cors(origins: string[]) {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (origin === undefined || !(any || allowed.has(origin))) return next();
    res.vary('Origin');
    res.set('Access-Control-Allow-Origin', any ? '*' : origin);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res
        .set({
          'Access-Control-Allow-Methods': CORS_METHODS,
          'Access-Control-Allow-Headers': CORS_HEADERS,
          'Access-Control-Max-Age': '600',
        })
        .status(204)
        .end();
      return;
    }
    res.set('Access-Control-Expose-Headers', CORS_EXPOSED);
    next();
  };
}

function sendProblem(res: Response, req: Request, error: AppError): void {
  if (error.headers) res.set(error.headers);
  res.status(error.status).type('application/problem+json').json(problemDocument(error, req.originalUrl));
}

/** Maps body-parser's and everyone else's errors onto one problem+json shape; unexpected errors are logged as bugs. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let error: AppError;
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    if (err instanceof AppError) error = err;
    else if (e.type === 'entity.parse.failed')
      error = problems.badRequest(`The body is not valid JSON: ${e.message}`, '/');
    else if (e.type === 'entity.too.large') error = problems.payloadTooLarge(e.limit);
    else if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      error = new AppError({
        status: 415,
        type: 'urn:problem:unsupported-media-type',
        title: 'Unsupported media type',
        detail: e.message,
      });
    else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
      error = problems.badRequest(e.message ?? 'Bad request');
    else error = problems.internal(err);
    if (!error.trusted) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return;
    sendProblem(res, req, error);
  };
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // API answers are not cached by clients: hashing every body for an ETag is wasted work on the hot path.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  if (options.corsOrigins?.length) app.use(cors(options.corsOrigins));

  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.metrics.httpDuration.observe(
        { method: req.method, route: `${req.baseUrl}${route}`, status: String(res.statusCode) },
        seconds,
      );
      // A readiness probe answered "not ready" is an answer, not a failure: /readyz logs its own changes.
      if (res.statusCode >= 500 && !res.locals.probeAnswer)
        options.logger.warn(
          { method: req.method, url: req.originalUrl, status: res.statusCode },
          'request failed',
        );
      else
        options.logger.debug(
          { method: req.method, url: req.originalUrl, status: res.statusCode, ms: seconds * 1000 },
          'request',
        );
    });
    next();
  });

  // Probes and docs carry no customer data and must answer without credentials (orchestrators, browsers).
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  // What /readyz answered last: a change is logged once, not every probe (orchestrators ask every few seconds).
  let wasReady: boolean | undefined;
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async (r) => {
        try {
          return [r.name, await r.check()] as const;
        } catch {
          return [r.name, false] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, ok]) => ok);
    if (ready !== wasReady) {
      const failing = results.filter(([, ok]) => !ok).map(([name]) => name);
      if (ready) options.logger.info({ checks }, 'ready');
      // Not ready while starting is expected; becoming not ready after having been ready is what ops must see.
      else if (wasReady === undefined) options.logger.info({ failing }, 'not ready yet');
      else options.logger.warn({ failing }, 'no longer ready');
      wasReady = ready;
    }
    res.locals.probeAnswer = true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(options.openApi);
  });
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(options.openApi, { customSiteTitle: `${options.service} API` }),
  );
  // Metrics reveal volumes and error rates: ops only.
  app.get('/metrics', authenticate(options.auth, { roles: ['ops'] }), async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (
      ['POST', 'PUT', 'PATCH'].includes(req.method) &&
      req.headers['content-length'] !== '0' &&
      !req.is('application/json')
    ) {
      return next(
        new AppError({
          status: 415,
          type: 'urn:problem:unsupported-media-type',
          title: 'Unsupported media type',
          detail: 'Send the body as application/json.',
          errors: [{ field: 'content-type', message: 'must be application/json' }],
        }),
      );
    }
    next();
  });
  app.use(
    express.json({ limit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, strict: true, type: 'application/json' }),
  );

  options.routes(app);

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(problems.notFound(`No route for ${req.method} ${req.path}.`));
  });
  app.use(errorHandler(options.logger));
  return app;
}
