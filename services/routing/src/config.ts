// Routing settings: the platform's, plus the directory, the calendar, and every 95598 number (defaults from DOMAIN.md).
import { join } from 'node:path';
import { listenPort, loadConfig, num, platformSpec, str } from '@complaints/platform';

export const DEFAULT_CALENDAR_FILE = join(__dirname, '..', 'config', 'business-calendar.json');

export const routingSpec = {
  ...platformSpec,
  PORT: listenPort({ default: 3002, desc: 'HTTP port of the routing service' }),
  CUSTOMER_DIRECTORY_FILE: str({
    default: '',
    desc: 'JSON or CSV customer master data loaded at start-up (optional)',
  }),
  BUSINESS_CALENDAR_FILE: str({
    default: DEFAULT_CALENDAR_FILE,
    desc: 'JSON: timezone, holidays, make-up workdays',
  }),
  REVIEW_THRESHOLD: num({
    default: 0.6,
    desc: 'Classifier confidence below which a person reviews the routing',
  }),
  REPEAT_WINDOW_DAYS: num({
    default: 60,
    desc: 'A complaint repeats an earlier one closed within this many days',
  }),
  SUPERVISION_REPEAT_COUNT: num({ default: 3, desc: 'Repeats from which leadership supervises (督办)' }),
  SLA_DISPATCH_MINUTES: num({ default: 20 }),
  SLA_FIRST_CONTACT_HOURS: num({ default: 24 }),
  SLA_RESOLVE_WORKING_DAYS: num({ default: 4 }),
  SLA_ON_SITE_MINUTES_URBAN: num({ default: 45 }),
  SLA_ON_SITE_MINUTES_RURAL: num({ default: 90 }),
  SLA_ON_SITE_MINUTES_REMOTE: num({ default: 120 }),
  SLA_RESTORE_HOURS_URBAN: num({ default: 3 }),
  SLA_RESTORE_HOURS_RURAL: num({ default: 4 }),
  SLA_RESTORE_HOURS_REMOTE: num({ default: 4 }),
};

export type RoutingConfig = ReturnType<typeof loadRoutingConfig>;

export function loadRoutingConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(routingSpec, env);
}
