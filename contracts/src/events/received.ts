// complaints.received.v1: intake accepted and stored a complaint.
import { Type, type Static } from '@sinclair/typebox';
import { Customer, Language, Location } from '../common';
import { Channel, ComplaintId, Timestamp } from '../taxonomy';

export const ComplaintReceived = Type.Object(
  {
    complaintId: ComplaintId,
    channel: Channel,
    externalRef: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    customer: Customer,
    text: Type.String({ minLength: 1, maxLength: 5000 }),
    language: Type.Optional(Language),
    occurredAt: Type.Optional(Timestamp),
    location: Type.Optional(Location),
    receivedAt: Timestamp,
  },
  { additionalProperties: false, title: 'ComplaintReceived' },
);
export type ComplaintReceived = Static<typeof ComplaintReceived>;
