// Per-key fixed-window rate limiting with the IETF RateLimit headers (draft 8), for Express routes and direct routes alike.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

export interface RateLimitOptions {
  /** Requests allowed per key and window. */
  limit: number;
  windowMs: number;
  /** Shown in the 429 problem. */
  detail: string;
}

export interface RateDecision {
  allowed: boolean;
  /** Headers to send with the answer, allowed or not. */
  headers: Record<string, string>;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Forget finished windows once this many keys are tracked (keys by IP can be many). */
const PRUNE_ABOVE = 10_000;

/**
 * Counts requests per key in fixed windows that start with each key's first request. One instance may guard
 * several routes; they then share each key's budget.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly policy: string;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0))
      throw new Error('a rate limit needs limit >= 1 and windowMs > 0');
    this.policy = `"per-key"; q=${options.limit}; w=${Math.max(1, Math.ceil(options.windowMs / 1000))}`;
  }

  take(key: string, now = Date.now()): RateDecision {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (!window && this.windows.size >= PRUNE_ABOVE) this.prune(now);
      window = { count: 0, resetAt: now + this.options.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    const allowed = window.count <= this.options.limit;
    const resetSeconds = Math.max(0, Math.ceil((window.resetAt - now) / 1000));
    const headers: Record<string, string> = {
      'RateLimit-Policy': this.policy,
      RateLimit: `"per-key"; r=${Math.max(0, this.options.limit - window.count)}; t=${resetSeconds}`,
    };
    if (!allowed) headers['Retry-After'] = String(resetSeconds);
    return { allowed, headers };
  }

  /** The 429 problem for a refused request, carrying the decision's headers. */
  refusal(decision: RateDecision): AppError {
    return new AppError({
      status: 429,
      type: 'urn:problem:rate-limited',
      title: 'Too many requests',
      detail: this.options.detail,
      headers: decision.headers,
    });
  }

  /** Express middleware; `keyOf` names whose budget a request spends (API key, staff id, client address). */
  middleware(keyOf: (req: Request) => string) {
    return (req: Request, res: Response, next: NextFunction) => {
      const decision = this.take(keyOf(req));
      if (!decision.allowed) return next(this.refusal(decision));
      res.set(decision.headers);
      next();
    };
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
