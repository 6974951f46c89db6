// Building blocks shared by events and HTTP bodies: the customer, the location, the classification.
import { Type, type Static } from '@sinclair/typebox';
import { AreaType, RootCause, Subtype } from './taxonomy';

export const AccountNo = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[0-9A-Za-z-]+$',
  description: "The customer's electricity account number (户号)",
  examples: ['5012087734'],
});

export const Customer = Type.Object(
  {
    accountNo: AccountNo,
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Personal data: masked in logs' }),
    ),
    phone: Type.Optional(
      Type.String({
        pattern: '^\\+?[0-9][0-9 -]{5,19}$',
        description: 'Personal data: masked in logs',
        examples: ['13812345678', '+852 9123 4567'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type Customer = Static<typeof Customer>;

export const Location = Type.Object(
  {
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    transformerArea: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        description: 'Transformer area (台区) code',
        examples: ['TA-0412'],
      }),
    ),
    areaType: Type.Optional(AreaType),
  },
  { additionalProperties: false },
);
export type Location = Static<typeof Location>;

export const Language = Type.Unsafe<'zh-Hans' | 'zh-Hant' | 'en'>({
  type: 'string',
  enum: ['zh-Hans', 'zh-Hant', 'en'],
  description: 'Language of the text, if the channel knows it',
});

export const Classification = Type.Object(
  {
    rootCause: RootCause,
    subtype: Subtype,
    urgent: Type.Boolean(),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    needsReview: Type.Boolean({ description: 'Low confidence: a person should confirm it' }),
    reasons: Type.Array(Type.String({ maxLength: 500 }), {
      maxItems: 50,
      description: 'Phrases and rules that decided it',
    }),
  },
  { additionalProperties: false },
);
export type Classification = Static<typeof Classification>;

export const StaffRef = Type.Object(
  {
    staffId: Type.String({ minLength: 1, maxLength: 60 }),
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  },
  { additionalProperties: false },
);
export type StaffRef = Static<typeof StaffRef>;
