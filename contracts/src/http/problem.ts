// RFC 9457 problem details: the one error shape every HTTP endpoint answers with.
import { Type, type Static } from '@sinclair/typebox';

export const ProblemDetails = Type.Object(
  {
    type: Type.String({
      description: 'URI reference naming the problem type',
      examples: ['urn:problem:validation'],
    }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            field: Type.String({
              description: 'JSON pointer into the request, or a header name',
              examples: ['/customer/phone'],
            }),
            message: Type.String(),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    traceId: Type.Optional(Type.String()),
  },
  { title: 'ProblemDetails' },
);
export type ProblemDetails = Static<typeof ProblemDetails>;
