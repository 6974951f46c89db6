// ajv (draft 2020-12) validators, compiled once per schema, with errors that name the field and say why.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';

export const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: false, coerceTypes: false });
addFormats(ajv);

export interface FieldError {
  field: string;
  message: string;
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Turns ajv's errors into one line per field, in words a partner's developer can act on. */
export function describeErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const error of errors ?? []) {
    let field = error.instancePath || '/';
    let message = error.message ?? 'is invalid';
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') {
      field = `${error.instancePath}/${String(params.additionalProperty)}`;
      message = 'is not a known field';
    } else if (error.keyword === 'required') {
      field = `${error.instancePath}/${String(params.missingProperty)}`;
      message = 'is required';
    } else if (error.keyword === 'enum') {
      message = `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    } else if (error.keyword === 'pattern') {
      message = `has an invalid format (must match ${String(params.pattern)})`;
    }
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function validate<S extends TSchema>(schema: S, value: unknown): Validation<Static<S>> {
  const check = validatorFor(schema);
  if (check(value)) return { ok: true, value: value as Static<S> };
  return { ok: false, errors: describeErrors(check.errors) };
}

/** Compiles ahead of time so the first request does not pay for it. */
export function precompile(...schemas: TSchema[]): void {
  for (const schema of schemas) validatorFor(schema);
}
