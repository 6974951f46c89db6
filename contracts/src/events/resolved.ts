// complaints.resolved.v1: the work order was resolved; feedback calls the customer back. Integrators' contract.
import { Type, type Static } from '@sinclair/typebox';
import { AccountNo, StaffRef } from '../common';
import { Channel, ComplaintId, Grade, RootCause, Subtype, Timestamp } from '../taxonomy';

export const ComplaintResolved = Type.Object(
  {
    complaintId: ComplaintId,
    workOrderId: Type.String({ minLength: 1, maxLength: 80 }),
    attempt: Type.Integer({ minimum: 1, description: '1, then +1 after each reopening' }),
    channel: Channel,
    accountNo: AccountNo,
    rootCause: RootCause,
    subtype: Subtype,
    grade: Grade,
    resolvedAt: Timestamp,
    resolvedBy: StaffRef,
    resolutionCode: Type.String({ minLength: 1, maxLength: 60, examples: ['transformer_tap_adjusted'] }),
    workDone: Type.String({ minLength: 1, maxLength: 2000 }),
    assetOwner: Type.Union([Type.Literal('utility'), Type.Literal('customer')]),
    charge: Type.Object(
      {
        decision: Type.Union([Type.Literal('free'), Type.Literal('paid')]),
        reason: Type.String({ maxLength: 300 }),
      },
      { additionalProperties: false },
    ),
    onTime: Type.Boolean({ description: 'Resolved before the resolution deadline' }),
    incidentId: Type.Optional(Type.String({ maxLength: 80 })),
    terminated: Type.Optional(Type.Boolean({ description: 'Ended as 服务终止 rather than resolved' })),
  },
  { additionalProperties: false, title: 'ComplaintResolved' },
);
export type ComplaintResolved = Static<typeof ComplaintResolved>;
