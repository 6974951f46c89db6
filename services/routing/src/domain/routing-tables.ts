// Who owns a complaint: the account manager by segment and area, the resolving team by root cause.
import type { AreaType, ManagerRole, RootCause, Segment, Team } from '@complaints/contracts';

/** Differentiated service: VIP and large accounts have their own managers; ordinary customers their community or transformer-area manager. */
export const MANAGER_ROLE_BY_SEGMENT: Record<Segment, Record<AreaType, ManagerRole>> = {
  vip: { urban: 'vip_customer_manager', rural: 'vip_customer_manager', remote: 'vip_customer_manager' },
  large: { urban: 'large_account_manager', rural: 'large_account_manager', remote: 'large_account_manager' },
  ordinary: {
    urban: 'community_manager',
    rural: 'transformer_area_manager',
    remote: 'transformer_area_manager',
  },
};

/** 对症下药: the root cause decides who resolves it. */
export const TEAM_BY_ROOT_CAUSE: Record<RootCause, Team> = {
  power_quality: 'field_operations',
  staff_attitude: 'service_quality',
  other: 'business_office',
};
