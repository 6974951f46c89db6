// Feedback settings: the platform's plus the callback rules and the survey link.
import { makeValidator } from 'envalid';
import { ConfigError, listenPort, loadConfig, platformSpec, str } from '@complaints/platform';
import { NAMED_CHANNELS } from '@complaints/contracts';

const longSecret = makeValidator<string>((input) => {
  if (input.length < 32) throw new Error('must be at least 32 characters');
  return input;
});

const channelList = makeValidator<string[]>((input) => {
  const channels = input
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = channels.filter((c) => !(NAMED_CHANNELS as readonly string[]).includes(c));
  if (unknown.length) throw new Error(`unknown channel(s) ${unknown.join(', ')}`);
  return channels;
});

const positiveNumber = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isFinite(value) || value <= 0) throw new Error('must be a number greater than 0');
  return value;
});

const positive = (desc: string, value: number) => positiveNumber({ default: value, desc });

export const feedbackSpec = {
  ...platformSpec,
  PORT: listenPort({ default: 3004, desc: 'HTTP port of the feedback service' }),
  CALLBACK_DEADLINE_HOURS: positive('Hours after resolution within which the customer is called back', 24),
  CALLBACK_MAX_FAILED_ATTEMPTS: positive(
    'Failed contact attempts after which a callback ends as unreachable',
    3,
  ),
  SUPERVISION_AT_REOPEN: positive(
    'The dissatisfied callback (count per complaint) from which a reopened complaint is flagged for supervision',
    2,
  ),
  SURVEY_LINK_SECRET: longSecret({ desc: 'HMAC secret (≥ 32 chars) that signs customer survey links' }),
  SURVEY_LINK_TTL_HOURS: positive('Hours a survey link stays valid', 168),
  SURVEY_CHANNELS: channelList({
    default: ['app', 'web', 'wechat'],
    desc: 'Channels whose customers get a self-service survey link',
  }),
  SURVEY_BASE_URL: str({
    default: '',
    desc: 'Public base URL of this service for survey links (e.g. https://feedback.example.cn); empty: relative links',
  }),
  SURVEY_RATE_LIMIT_PER_MINUTE: positive('Survey requests per minute allowed from one client address', 60),
  BODY_LIMIT: str({ default: '16kb', desc: 'Largest accepted request body' }),
};

export type FeedbackConfig = ReturnType<typeof loadFeedbackConfig>;

export function loadFeedbackConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(feedbackSpec, env);
  for (const name of ['CALLBACK_MAX_FAILED_ATTEMPTS', 'SUPERVISION_AT_REOPEN'] as const) {
    if (!Number.isInteger(config[name])) throw new ConfigError([`${name}: must be a whole number`]);
  }
  return config;
}
