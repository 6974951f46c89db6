// Intake settings: the platform's plus the partner-facing limits and where the ops console finds the other services.
import { makeValidator } from 'envalid';
import { listenPort, loadConfig, num, platformSpec, str } from '@complaints/platform';

/** A service base URL as the browser reaches it: http(s)://host[:port], no trailing slash. */
const baseUrl = makeValidator<string>((input) => {
  const trimmed = input.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(trimmed))
    throw new Error('must be an http:// or https:// base URL');
  return trimmed;
});

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
  ROUTING_URL: baseUrl({
    default: 'http://127.0.0.1:3002',
    desc: 'Routing service base URL as the ops console in the browser reaches it',
  }),
  RESOLUTION_URL: baseUrl({
    default: 'http://127.0.0.1:3003',
    desc: 'Resolution service base URL as the ops console in the browser reaches it',
  }),
  FEEDBACK_URL: baseUrl({
    default: 'http://127.0.0.1:3004',
    desc: 'Feedback service base URL as the ops console in the browser reaches it',
  }),
};

export type IntakeConfig = ReturnType<typeof loadIntakeConfig>;

export function loadIntakeConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(intakeSpec, env);
}
