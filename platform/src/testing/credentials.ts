// Throw-away partner keys and staff tokens for tests: the same formats and checks the services use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { NAMED_CHANNELS, STAFF_ROLES, type StaffRole } from '@complaints/contracts';
import { generateApiKey, hashApiKey, signStaffToken } from '../http/auth';
import { uniqueName, type TestInfra } from './infra';

export interface TestCredentials {
  apiKeysFile: string;
  apiKeys: Record<string, string>;
  secret: string;
  issuer: string;
  tokens: Record<StaffRole, string>;
  token(staff: { staffId: string; role: StaffRole; team?: string }): Promise<string>;
}

/** Key files must outlive the services a test starts, so they go when the test process does. */
const createdDirs: string[] = [];
function removeAtExit(dir: string): void {
  if (!createdDirs.length)
    process.once('exit', () => {
      for (const created of createdDirs) rmSync(created, { recursive: true, force: true });
    });
  createdDirs.push(dir);
}

export async function makeTestCredentials(
  channels: string[] = [...NAMED_CHANNELS, 'partner:city-12345'],
): Promise<TestCredentials> {
  const dir = mkdtempSync(join(tmpdir(), 'complaints-creds-'));
  removeAtExit(dir);
  const apiKeys: Record<string, string> = {};
  const stored = channels.map((channel, i) => {
    const key = generateApiKey(channel);
    apiKeys[channel] = key;
    return { id: `key-${i + 1}`, channel, sha256: hashApiKey(key) };
  });
  const apiKeysFile = join(dir, 'api-keys.json');
  writeFileSync(apiKeysFile, JSON.stringify({ keys: stored }));
  const secret = randomBytes(32).toString('base64url');
  const issuer = 'complaint-platform';
  const token = (staff: { staffId: string; role: StaffRole; team?: string }) =>
    signStaffToken({ secret, issuer }, staff);
  const tokens = Object.fromEntries(
    await Promise.all(
      STAFF_ROLES.map(async (role) => [role, await token({ staffId: `test-${role}`, role })] as const),
    ),
  ) as Record<StaffRole, string>;
  return { apiKeysFile, apiKeys, secret, issuer, tokens, token };
}

/** What a service under test gets: this backend, a fresh database, throw-away credentials, test-speed timings. */
export function serviceTestEnv(
  infra: TestInfra,
  creds: Pick<TestCredentials, 'apiKeysFile' | 'secret'>,
  database: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGODB_URI: infra.mongoUri(uniqueName(database)),
    API_KEYS_FILE: creds.apiKeysFile,
    STAFF_TOKEN_SECRET: creds.secret,
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_TOPIC_PARTITIONS: '3',
    OUTBOX_SWEEP_MS: '200',
    // A restarted consumer rejoins its group sooner.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    ...extra,
  };
}
