// Intake settings: the platform's plus the partner-facing limits.
import { listenPort, loadConfig, num, platformSpec, str } from '@complaints/platform';

export const intakeSpec = {
  ...platformSpec,
  PORT: listenPort({ default: 3001, desc: 'HTTP port of the intake service' }),
  API_KEYS_FILE: str({
    desc: 'JSON file holding the SHA-256 hashes of the partner API keys ({"keys":[{"id","channel","sha256"}]})',
  }),
  RATE_LIMIT_PER_SECOND: num({
    default: 2000,
    desc: 'Requests per second allowed for one API key (averaged over the window)',
  }),
  RATE_LIMIT_WINDOW_MS: num({ default: 1000, desc: 'Rate-limit window' }),
  BODY_LIMIT: str({ default: '64kb', desc: 'Largest accepted request body' }),
};

export type IntakeConfig = ReturnType<typeof loadIntakeConfig>;

export function loadIntakeConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(intakeSpec, env);
}
