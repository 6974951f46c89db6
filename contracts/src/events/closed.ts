// complaints.closed.v1 and complaints.reopened.v1: the outcome of the customer callback (回访).
import { Type, type Static } from '@sinclair/typebox';
import { ComplaintId, Grade, Timestamp } from '../taxonomy';

export const ComplaintClosed = Type.Object(
  {
    complaintId: ComplaintId,
    callbackId: Type.String({ minLength: 1, maxLength: 80 }),
    outcome: Type.Union([
      Type.Literal('satisfied'),
      Type.Literal('basically_satisfied'),
      Type.Literal('unreachable'),
    ]),
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    recordedBy: Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'Agent staff id, or survey:<channel>',
    }),
    closedAt: Timestamp,
  },
  { additionalProperties: false, title: 'ComplaintClosed' },
);
export type ComplaintClosed = Static<typeof ComplaintClosed>;

export const ComplaintReopened = Type.Object(
  {
    complaintId: ComplaintId,
    callbackId: Type.String({ minLength: 1, maxLength: 80 }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    previousGrade: Grade,
    grade: Grade,
    reopenCount: Type.Integer({ minimum: 1 }),
    supervision: Type.Boolean({
      description: 'Second dissatisfied callback or more: flagged for supervision',
    }),
    recordedBy: Type.String({ minLength: 1, maxLength: 80 }),
    reopenedAt: Timestamp,
  },
  { additionalProperties: false, title: 'ComplaintReopened' },
);
export type ComplaintReopened = Static<typeof ComplaintReopened>;
