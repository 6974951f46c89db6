// The root-cause taxonomy the classifier decides between (State Grid complaint classes mapped to three root causes).

import type { RootCause, Subtype } from '@complaints/contracts';
import { ROOT_CAUSES, SUBTYPES_BY_ROOT_CAUSE } from '@complaints/contracts';

// One taxonomy for the whole platform: the contracts define it, the classifier decides within it.
export type { RootCause, Subtype };
export { ROOT_CAUSES, SUBTYPES_BY_ROOT_CAUSE };
export type PowerQualitySubtype = (typeof SUBTYPES_BY_ROOT_CAUSE)['power_quality'][number];
export type StaffAttitudeSubtype = (typeof SUBTYPES_BY_ROOT_CAUSE)['staff_attitude'][number];
export type OtherSubtype = (typeof SUBTYPES_BY_ROOT_CAUSE)['other'][number];

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
