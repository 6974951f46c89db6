// complaints.activity.v1: one step of a complaint's lifecycle that is not itself a state-change contract (work-order steps, incident links, callback attempts).
import { Type, type Static } from '@sinclair/typebox';
import { ComplaintId, Timestamp } from '../taxonomy';

export const ComplaintActivity = Type.Object(
  {
    complaintId: ComplaintId,
    service: Type.Union([
      Type.Literal('intake'),
      Type.Literal('routing'),
      Type.Literal('resolution'),
      Type.Literal('feedback'),
    ]),
    step: Type.String({
      pattern: '^[a-z_]+(\\.[a-z_]+)+$',
      maxLength: 80,
      description: 'What happened, dotted: work_order.accepted, incident.linked, callback.attempt_failed, …',
      examples: ['work_order.accepted'],
    }),
    at: Timestamp,
    actor: Type.String({ minLength: 1, maxLength: 80, description: 'staff:<id>, system, or customer' }),
    summary: Type.String({ minLength: 1, maxLength: 500, description: 'One line a person can read' }),
    workOrderId: Type.Optional(Type.String({ maxLength: 80 })),
    incidentId: Type.Optional(Type.String({ maxLength: 80 })),
    callbackId: Type.Optional(Type.String({ maxLength: 80 })),
    details: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean(), Type.Null()]),
        {
          description: 'Small facts of the step (reason, team, attempt number)',
        },
      ),
    ),
  },
  { additionalProperties: false, title: 'ComplaintActivity' },
);
export type ComplaintActivity = Static<typeof ComplaintActivity>;
