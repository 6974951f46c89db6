// Who may do what: the roles of each kind of action, and the rule that field staff work on their own team's orders.
import type { StaffRole } from '@complaints/contracts';
import { problems, type StaffPrincipal } from '@complaints/platform';

export const ACCESS = {
  read: ['field_staff', 'manager', 'supervisor', 'ops'],
  fieldWork: ['field_staff', 'supervisor'],
  reassign: ['manager', 'supervisor'],
  supervise: ['supervisor'],
  resolveIncident: ['field_staff', 'supervisor'],
} as const satisfies Record<string, readonly StaffRole[]>;

/** Roles that only see and act on the orders of the team in their token. */
export const TEAM_BOUND_ROLES: readonly StaffRole[] = ['field_staff'];

export function assertTeam(principal: StaffPrincipal, team: string, what: string): void {
  if (!TEAM_BOUND_ROLES.includes(principal.role)) return;
  if (!principal.team)
    throw problems.forbidden(`Your ${principal.role} token names no team, so it cannot act on ${what}.`);
  if (principal.team !== team)
    throw problems.forbidden(
      `${what} belongs to team ${team}; ${principal.role} of team ${principal.team} may not act on it.`,
    );
}
