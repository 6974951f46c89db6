// Resolution settings: the platform's plus the time-limit scheduler and the incident window.
import { ConfigError, listenPort, loadConfig, num, platformSpec, str } from '@complaints/platform';

export const resolutionSpec = {
  ...platformSpec,
  PORT: listenPort({ default: 3003, desc: 'HTTP port of the resolution service' }),
  SLA_WARNING_RATIO: num({
    default: 0.75,
    desc: 'Share of a time limit after which sla.warning.v1 is emitted (预警), between 0 and 1',
  }),
  SLA_TICK_MS: num({
    default: 5000,
    desc: 'How often the time-limit scheduler looks for due warnings and breaches',
  }),
  SLA_BATCH_SIZE: num({ default: 500, desc: 'Work orders the scheduler examines per query' }),
  SLA_ESCALATE_TO: str({ default: 'supervisor', desc: 'Who a missed time limit is escalated to (督办)' }),
  INCIDENT_WINDOW_MINUTES: num({
    default: 120,
    desc: 'Interruption complaints from one transformer area this close together join one incident',
  }),
  BODY_LIMIT: str({ default: '64kb', desc: 'Largest accepted request body' }),
};

export type ResolutionConfig = ReturnType<typeof loadResolutionConfig>;

export function loadResolutionConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(resolutionSpec, env);
  const problems = [
    config.SLA_WARNING_RATIO > 0 && config.SLA_WARNING_RATIO < 1
      ? ''
      : 'SLA_WARNING_RATIO: must be between 0 and 1 (exclusive)',
    config.INCIDENT_WINDOW_MINUTES > 0 ? '' : 'INCIDENT_WINDOW_MINUTES: must be positive',
    config.SLA_TICK_MS >= 100 ? '' : 'SLA_TICK_MS: must be at least 100',
    config.SLA_BATCH_SIZE >= 1 ? '' : 'SLA_BATCH_SIZE: must be at least 1',
  ].filter(Boolean);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
