// The domain vocabulary every contract shares: channels, root causes, grades, segments, roles and teams.
import { Type, type Static } from '@sinclair/typebox';

/** A string enum whose static type is the union of its values. */
const literals = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

/** Named partner channels; other companies' systems are `partner:<name>`. */
export const NAMED_CHANNELS = ['hotline', 'app', 'web', 'wechat', 'sms'] as const;
export const Channel = Type.String({
  pattern: '^(hotline|app|web|wechat|sms|partner:[a-z0-9][a-z0-9-]{0,39})$',
  description: 'Channel the complaint came through; taken from the API key, never from the body',
  examples: ['hotline', 'partner:city-12345'],
});
export type Channel = Static<typeof Channel>;

export const AREA_TYPES = ['urban', 'rural', 'remote'] as const;
export const AreaType = literals(AREA_TYPES, 'Supply area type; decides on-site time limits');
export type AreaType = Static<typeof AreaType>;

export const ROOT_CAUSES = ['power_quality', 'staff_attitude', 'other'] as const;
export const RootCause = literals(ROOT_CAUSES, 'What the complaint is about');
export type RootCause = Static<typeof RootCause>;

export const SUBTYPES_BY_ROOT_CAUSE = {
  power_quality: [
    'voltage_low',
    'voltage_high',
    'fluctuation_flicker',
    'interruption',
    'harmonics',
    'unbalance',
  ],
  staff_attitude: ['rudeness', 'negligence', 'misconduct', 'unprofessional'],
  other: ['billing', 'metering', 'connection', 'payment_access', 'infrastructure', 'inquiry'],
} as const;
export const SUBTYPES = Object.values(SUBTYPES_BY_ROOT_CAUSE).flat() as unknown as readonly [
  (typeof SUBTYPES_BY_ROOT_CAUSE)[RootCause][number],
  ...(typeof SUBTYPES_BY_ROOT_CAUSE)[RootCause][number][],
];
export const Subtype = literals(SUBTYPES, 'Subtype within the root cause');
export type Subtype = Static<typeof Subtype>;

export const GRADES = ['general', 'important', 'major', 'special'] as const;
export const Grade = literals(GRADES, 'Complaint grade, lowest first (一般, 重要, 重大, 特殊)');
export type Grade = Static<typeof Grade>;

export const SEGMENTS = ['vip', 'large', 'ordinary'] as const;
export const Segment = literals(SEGMENTS, 'Customer segment (differentiated service)');
export type Segment = Static<typeof Segment>;

export const MANAGER_ROLES = [
  'vip_customer_manager',
  'large_account_manager',
  'community_manager',
  'transformer_area_manager',
] as const;
export const ManagerRole = literals(MANAGER_ROLES, 'Accountable account manager role');
export type ManagerRole = Static<typeof ManagerRole>;

export const TEAMS = ['field_operations', 'service_quality', 'business_office'] as const;
export const Team = literals(TEAMS, 'Resolving team, decided by the root cause');
export type Team = Static<typeof Team>;

export const STAFF_ROLES = ['field_staff', 'manager', 'supervisor', 'ops'] as const;
export const StaffRole = literals(STAFF_ROLES, 'Role carried in a staff bearer token');
export type StaffRole = Static<typeof StaffRole>;

export const CALLBACK_OUTCOMES = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'] as const;
export const CallbackOutcome = literals(CALLBACK_OUTCOMES, 'Outcome of the customer callback (回访)');
export type CallbackOutcome = Static<typeof CallbackOutcome>;

export const SLA_LIMITS = ['dispatch', 'first_contact', 'on_site', 'restore', 'resolve'] as const;
export const SlaLimit = literals(SLA_LIMITS, 'Which time limit');
export type SlaLimit = Static<typeof SlaLimit>;

export const COMPLAINT_ID_PATTERN = '^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$';
export const ComplaintId = Type.String({
  pattern: COMPLAINT_ID_PATTERN,
  description: 'Complaint id the customer can quote',
  examples: ['CMP-7KQ3-MZ9X-PA2B-XY4Q'],
});

export const Timestamp = Type.String({ format: 'date-time', examples: ['2026-11-22T08:15:00.000Z'] });
