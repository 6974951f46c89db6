// Builds the OpenAPI 3.1 document of one service (or all) from the endpoint table and the same schemas ajv uses.
import type { TSchema } from '@sinclair/typebox';
import { ENDPOINTS, type EndpointSpec, type ServiceName } from './http/endpoints';
import { ProblemDetails } from './http/problem';

/** Drops TypeBox's symbol keys and $id so the schema embeds cleanly. */
export function plainSchema(schema: TSchema): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  delete plain.$id;
  return plain;
}

function security(spec: EndpointSpec) {
  switch (spec.auth.kind) {
    case 'apiKey':
      return [{ partnerApiKey: [] }];
    case 'bearer':
      return [{ staffBearer: spec.auth.roles }];
    case 'apiKeyOrBearer':
      return [{ partnerApiKey: [] }, { staffBearer: spec.auth.roles }];
    case 'signedLink':
      return [{ signedLink: [] }];
  }
}

function operation(spec: EndpointSpec) {
  const parameters = [
    ...Object.entries(spec.pathParams ?? {}).map(([name, p]) => ({
      name,
      in: 'path',
      required: true,
      description: p.description,
      schema: { type: 'string', ...(p.pattern ? { pattern: p.pattern } : {}) },
    })),
    ...Object.entries(spec.query ?? {}).map(([name, q]) => ({
      name,
      in: 'query',
      required: false,
      description: q.description,
      schema: q.schema,
    })),
    ...Object.entries(spec.headers ?? {}).map(([name, h]) => ({
      name,
      in: 'header',
      required: h.required,
      description: h.description,
      schema: { type: 'string' },
    })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const isProblem = Number(status) >= 400;
    const schema = r.schema
      ? plainSchema(r.schema)
      : isProblem
        ? { $ref: '#/components/schemas/ProblemDetails' }
        : undefined;
    responses[status] = {
      description: r.description,
      ...(schema
        ? { content: { [isProblem ? 'application/problem+json' : 'application/json']: { schema } } }
        : {}),
    };
  }
  const roles = 'roles' in spec.auth ? ` Roles: ${spec.auth.roles.join(', ')}.` : '';
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: `${spec.summary}.${roles}`,
    tags: [spec.service],
    security: security(spec),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.request
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: plainSchema(spec.request) } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(service?: ServiceName, endpoints: EndpointSpec[] = ENDPOINTS) {
  const selected = endpoints.filter((e) => !service || e.service === service);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of selected) {
    paths[spec.path] = { ...(paths[spec.path] ?? {}), [spec.method]: operation(spec) };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: service ? `Complaint platform — ${service} API` : 'Complaint platform API',
      version: '1.0.0',
      description:
        'HTTP API of the complaint-handling platform. Partner channels authenticate with X-Api-Key; staff with a bearer token carrying a role. Errors are RFC 9457 problem+json.',
    },
    paths,
    components: {
      schemas: { ProblemDetails: plainSchema(ProblemDetails) },
      securitySchemes: {
        partnerApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description: 'One key per partner channel',
        },
        staffBearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Staff token with a `role` claim',
        },
        signedLink: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description:
            'The customer survey link: its signed, expiring token (the {token} path segment) is the credential; no key, no login',
        },
      },
    },
  };
}
