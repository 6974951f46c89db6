// Checks a request body or query string against its contract schema and turns failures into a 400 that names each field.
import type { Static, TSchema } from '@sinclair/typebox';
import { validate } from '@complaints/contracts';
import { problems } from '../errors';

export function parseBody<S extends TSchema>(schema: S, body: unknown): Static<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw problems.validation(
      [{ field: '/', message: 'must be a JSON object' }],
      'The body must be a JSON object.',
    );
  }
  const result = validate(schema, body);
  if (!result.ok) throw problems.validation(result.errors);
  return result.value;
}

/** Query values arrive as text; errors are named `query/<parameter>`. */
export function parseQuery<S extends TSchema>(schema: S, query: unknown): Static<S> {
  const result = validate(schema, { ...(query as Record<string, unknown>) });
  if (!result.ok)
    throw problems.validation(
      result.errors.map((e) => ({ ...e, field: `query${e.field === '/' ? '' : e.field}` })),
      `Invalid query: ${result.errors.map((e) => `${e.field.replace(/^\//, '') || 'query'} ${e.message}`).join('; ')}.`,
    );
  return result.value;
}
