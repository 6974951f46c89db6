// The root-cause taxonomy the classifier decides between (State Grid complaint classes mapped to three root causes).

export type RootCause = 'power_quality' | 'staff_attitude' | 'other';

export type PowerQualitySubtype =
  'voltage_low' | 'voltage_high' | 'fluctuation_flicker' | 'interruption' | 'harmonics' | 'unbalance';
export type StaffAttitudeSubtype = 'rudeness' | 'negligence' | 'misconduct' | 'unprofessional';
export type OtherSubtype =
  'billing' | 'metering' | 'connection' | 'payment_access' | 'infrastructure' | 'inquiry';
export type Subtype = PowerQualitySubtype | StaffAttitudeSubtype | OtherSubtype;

export const ROOT_CAUSES: readonly RootCause[] = ['power_quality', 'staff_attitude', 'other'];

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
} as const satisfies Record<RootCause, readonly Subtype[]>;

export const ALL_SUBTYPES: readonly Subtype[] = ROOT_CAUSES.flatMap((root) => SUBTYPES_BY_ROOT_CAUSE[root]);

/**
 * Subtype chosen when a complaint clearly belongs to a root cause but names no subtype: the most common
 * complaint of each class at a 95598 centre (outage, rude manner, general enquiry).
 */
export const FALLBACK_SUBTYPE: Record<RootCause, Subtype> = {
  power_quality: 'interruption',
  staff_attitude: 'rudeness',
  other: 'inquiry',
};

const ROOT_OF_SUBTYPE = new Map<Subtype, RootCause>(
  ROOT_CAUSES.flatMap((root) => SUBTYPES_BY_ROOT_CAUSE[root].map((subtype) => [subtype, root] as const)),
);

export function rootCauseOf(subtype: Subtype): RootCause {
  return ROOT_OF_SUBTYPE.get(subtype)!;
}

export function isRootCause(value: string): value is RootCause {
  return (ROOT_CAUSES as readonly string[]).includes(value);
}

export function isSubtype(value: string): value is Subtype {
  return ROOT_OF_SUBTYPE.has(value as Subtype);
}
