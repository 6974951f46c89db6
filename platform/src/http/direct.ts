// Direct routes: the few hot JSON endpoints answered straight from Node's HTTP server, without Express's router and middleware.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { AppError, problems } from '../errors';
import type { Logger } from '../logger';
import type { PlatformMetrics } from '../metrics';
import { principalFor, type AllowedCallers, type AuthOptions, type Principal } from './auth';
import type { RateLimiter } from './rate-limit';

export interface DirectRequest {
  principal: Principal;
  /** Reads a request header by lower-case name. */
  header: (name: string) => string | undefined;
  /** The parsed JSON body. */
  body: unknown;
}

export interface DirectAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/**
 * A JSON POST answered without Express. It must behave exactly like the Express route registered for the same
 * path, which still answers every request the direct path passes on (see `directHandler`): both call the
 * same handler.
 */
export interface DirectRoute {
  method: 'POST';
  /** Matched exactly against the request target; a query string sends the request to Express. */
  path: string;
  allow: AllowedCallers;
  limiter?: { limiter: RateLimiter; keyOf: (principal: Principal) => string };
  handle(request: DirectRequest): Promise<DirectAnswer>;
}

export interface DirectOptions {
  routes: DirectRoute[];
  auth: AuthOptions;
  logger: Logger;
  metrics: PlatformMetrics;
  bodyLimitBytes: number;
}

/** The RFC 9457 document for an error; Express and direct routes answer problems identically. */
export function problemDocument(error: AppError, instance: string): Record<string, unknown> {
  // Without a started SDK the active span is a placeholder with an all-zero id: that is no trace to quote.
  const context = trace.getActiveSpan()?.spanContext();
  const traceId = context && isSpanContextValid(context) ? context.traceId : undefined;
  return {
    type: error.type,
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(traceId ? { traceId } : {}),
  };
}

/** Parses sizes such as `64kb`, `1mb` or `512` (bytes), as BODY_LIMIT is written. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size such as 64kb, 1mb or 4096`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.floor(Number(match[1]) * unit);
}

/**
 * Whether the direct path can take this request: plain JSON in UTF-8 without content coding and without an
 * Origin (browsers need CORS, which Express handles). Anything else — a wrong media type, a gzip body, a
 * browser — goes to Express, whose answer is the same but whose checks are complete.
 */
function plainJson(req: IncomingMessage): boolean {
  if (req.headers.origin !== undefined) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = req.headers['content-type'];
  if (type === undefined) return false;
  const [media, ...params] = type.split(';');
  if (media.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p) => {
    const [name, value] = p.split('=').map((s) => s.trim().toLowerCase());
    return name !== 'charset' || value === 'utf-8' || value === 'utf8' || value === '"utf-8"';
  });
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(problems.payloadTooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(problems.payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      if (declared !== undefined && Number(declared) !== size)
        reject(problems.badRequest('The body is shorter or longer than its Content-Length.'));
      else resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      failed = true;
      reject(problems.badRequest(`The body could not be read: ${error.message}`));
    });
  });
}

function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  // Express's JSON parser takes objects and arrays only (strict mode); the same words for the same mistake.
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[')
    throw problems.badRequest(`The body is not valid JSON: Unexpected token ${first ?? 'end'} in JSON`, '/');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw problems.badRequest(`The body is not valid JSON: ${(error as Error).message}`, '/');
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: unknown,
  headers?: Record<string, string>,
) {
  const text = JSON.stringify(body);
  res.statusCode = status;
  if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Returns a request listener that answers the direct routes and hands every other request to `fallback`
 * (the Express app). Authentication, rate limits, body limits, problem+json errors, metrics and logs work
 * as on the Express side.
 */
export function directHandler(
  options: DirectOptions,
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const byTarget = new Map(options.routes.map((r) => [`${r.method} ${r.path}`, r]));
  const header = (req: IncomingMessage) => (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };

  const answer = async (route: DirectRoute, req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    trace.getActiveSpan()?.setAttribute('http.route', route.path);
    try {
      const read = header(req);
      const principal = await principalFor(options.auth, route.allow, read);
      if (route.limiter) {
        const decision = route.limiter.limiter.take(route.limiter.keyOf(principal));
        if (!decision.allowed) throw route.limiter.limiter.refusal(decision);
        for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
      }
      const body = parseJson(await readBody(req, options.bodyLimitBytes));
      const result = await route.handle({ principal, header: read, body });
      send(res, result.status, 'application/json', result.body, result.headers);
    } catch (err) {
      const error = err instanceof AppError ? err : problems.internal(err);
      if (!error.trusted) options.logger.error({ err, method: req.method, url: req.url }, 'request failed');
      // An early refusal leaves the body unread; drain it so the connection stays usable.
      if (!req.readableEnded) req.resume();
      if (res.headersSent) {
        res.destroy();
      } else {
        send(
          res,
          error.status,
          'application/problem+json',
          problemDocument(error, req.url ?? ''),
          error.headers,
        );
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: route.method, route: route.path, status: String(res.statusCode) };
      options.metrics.httpDuration.observe(labels, seconds);
      if (res.statusCode >= 500) options.logger.warn({ ...labels, url: req.url }, 'request failed');
      else options.logger.debug({ ...labels, ms: seconds * 1000 }, 'request');
    }
  };

  return (req, res) => {
    const route = byTarget.get(`${req.method} ${req.url}`);
    if (!route || !plainJson(req)) return fallback(req, res);
    void answer(route, req, res);
  };
}
