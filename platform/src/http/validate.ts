// Checks a request body against its contract schema and turns failures into a 400 that names each field.
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
