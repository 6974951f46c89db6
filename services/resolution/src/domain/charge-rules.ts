// Paid versus free service as a rule table: who owns the failed asset, and whether the customer is vulnerable.
import type { AssetOwner } from '@complaints/contracts';

export interface ChargeDecision {
  decision: 'free' | 'paid';
  reason: string;
}

interface ChargeRule {
  assetOwner: AssetOwner;
  /** Undefined: the rule holds whatever the customer's situation. */
  vulnerable?: boolean;
  charge: ChargeDecision;
}

/** First matching rule wins (DOMAIN.md, paid versus free service). */
export const CHARGE_RULES: readonly ChargeRule[] = [
  { assetOwner: 'utility', charge: { decision: 'free', reason: 'utility-owned asset: repaired free' } },
  {
    assetOwner: 'customer',
    vulnerable: true,
    charge: { decision: 'free', reason: 'customer-owned asset, vulnerable customer: served free' },
  },
  {
    assetOwner: 'customer',
    vulnerable: false,
    charge: { decision: 'paid', reason: 'customer-owned asset: paid service' },
  },
];

export function decideCharge(assetOwner: AssetOwner, vulnerable: boolean): ChargeDecision {
  const rule = CHARGE_RULES.find(
    (r) => r.assetOwner === assetOwner && (r.vulnerable === undefined || r.vulnerable === vulnerable),
  );
  if (!rule) throw new Error(`no charge rule for assetOwner=${assetOwner} vulnerable=${vulnerable}`);
  return { ...rule.charge };
}

/** A terminated case (服务终止) did no billable work. */
export const TERMINATED_CHARGE: ChargeDecision = {
  decision: 'free',
  reason: 'service terminated (服务终止): no billable work',
};
