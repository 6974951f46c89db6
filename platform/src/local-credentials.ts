// First-run credentials for local mode: a partner API key per channel and a staff token per role, kept in a git-ignored folder.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAMED_CHANNELS, STAFF_ROLES, type StaffRole } from '@complaints/contracts';
import { generateApiKey, hashApiKey, signStaffToken } from './http/auth';

export interface LocalCredentials {
  /** Plain keys and tokens for a person trying the platform: never used by the services themselves. */
  credentialsFile: string;
  /** Hashes only: what intake reads. */
  apiKeysFile: string;
  staffTokenSecret: string;
  /** Signs customer survey links (feedback). */
  surveyLinkSecret: string;
  apiKeys: Record<string, string>;
  tokens: Record<StaffRole, string>;
}

const TEAMS: Record<StaffRole, string | undefined> = {
  field_staff: 'field_operations',
  manager: undefined,
  supervisor: undefined,
  ops: undefined,
};

/** Reuses what an earlier run wrote, so keys a person saved keep working. */
export async function ensureLocalCredentials(
  dir: string,
  issuer = 'complaint-platform',
): Promise<LocalCredentials> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const credentialsFile = join(dir, 'credentials.json');
  const apiKeysFile = join(dir, 'api-keys.json');
  if (existsSync(credentialsFile) && existsSync(apiKeysFile)) {
    const saved = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Omit<
      LocalCredentials,
      'credentialsFile' | 'apiKeysFile'
    >;
    if (!saved.surveyLinkSecret) {
      // Files from before survey links existed: add the secret, keep everything else.
      saved.surveyLinkSecret = randomBytes(32).toString('base64url');
      writeFileSync(credentialsFile, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    }
    return { ...saved, credentialsFile, apiKeysFile };
  }
  const channels = [...NAMED_CHANNELS, 'partner:demo'];
  const apiKeys: Record<string, string> = {};
  const keys = channels.map((channel, i) => {
    apiKeys[channel] = generateApiKey(channel);
    return { id: `local-${i + 1}`, channel, sha256: hashApiKey(apiKeys[channel]) };
  });
  const staffTokenSecret = randomBytes(32).toString('base64url');
  const surveyLinkSecret = randomBytes(32).toString('base64url');
  const tokens = {} as Record<StaffRole, string>;
  for (const role of STAFF_ROLES) {
    tokens[role] = await signStaffToken(
      { secret: staffTokenSecret, issuer },
      { staffId: `local-${role.replace('_', '-')}`, role, team: TEAMS[role], name: `Local ${role}` },
      '90d',
    );
  }
  writeFileSync(apiKeysFile, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(
    credentialsFile,
    `${JSON.stringify({ staffTokenSecret, surveyLinkSecret, apiKeys, tokens }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
  return { credentialsFile, apiKeysFile, staffTokenSecret, surveyLinkSecret, apiKeys, tokens };
}
