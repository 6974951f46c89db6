// The one error type services throw: it carries the HTTP status and problem details, and whether it is expected.
import type { FieldError } from '@complaints/contracts';

export interface AppErrorOptions {
  status: number;
  type: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** Trusted errors are expected outcomes (bad input, not found); untrusted ones are bugs or outages. */
  trusted?: boolean;
  cause?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly trusted: boolean;
  readonly headers?: Record<string, string>;

  constructor(options: AppErrorOptions) {
    super(options.detail ?? options.title, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status;
    this.type = options.type;
    this.title = options.title;
    this.detail = options.detail;
    this.errors = options.errors;
    this.trusted = options.trusted ?? options.status < 500;
    this.headers = options.headers;
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is invalid; see errors for each field.') =>
    new AppError({ status: 400, type: 'urn:problem:validation', title: 'Invalid request', detail, errors }),
  badRequest: (detail: string, field?: string) =>
    new AppError({
      status: 400,
      type: 'urn:problem:bad-request',
      title: 'Bad request',
      detail,
      errors: field ? [{ field, message: detail }] : undefined,
    }),
  unauthenticated: (detail: string) =>
    new AppError({
      status: 401,
      type: 'urn:problem:unauthenticated',
      title: 'Authentication required',
      detail,
      headers: { 'WWW-Authenticate': 'Bearer, ApiKey header="X-Api-Key"' },
    }),
  forbidden: (detail: string) =>
    new AppError({ status: 403, type: 'urn:problem:forbidden', title: 'Forbidden', detail }),
  notFound: (detail: string) =>
    new AppError({ status: 404, type: 'urn:problem:not-found', title: 'Not found', detail }),
  conflict: (detail: string) =>
    new AppError({ status: 409, type: 'urn:problem:conflict', title: 'Conflict', detail }),
  payloadTooLarge: (limitBytes: number | undefined) =>
    new AppError({
      status: 413,
      type: 'urn:problem:payload-too-large',
      title: 'Payload too large',
      detail: `The body is larger than the limit of ${limitBytes} bytes.`,
    }),
  /** A bug or an outage: the answer says only that it was logged; the cause goes to the log. */
  internal: (cause: unknown) =>
    new AppError({
      status: 500,
      type: 'urn:problem:internal',
      title: 'Internal error',
      detail: 'An unexpected error occurred; it has been logged.',
      cause,
      trusted: false,
    }),
  unavailable: (detail: string, cause?: unknown) =>
    new AppError({
      status: 503,
      type: 'urn:problem:unavailable',
      title: 'Service unavailable',
      detail,
      cause,
      trusted: false,
    }),
};
