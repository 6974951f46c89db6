// Authentication: partner API keys (stored hashed, one per channel) and staff bearer tokens (JWT with a role claim).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import type { StaffRole } from '@complaints/contracts';
import { STAFF_ROLES } from '@complaints/contracts';
import { problems } from '../errors';

export interface PartnerPrincipal {
  kind: 'partner';
  channel: string;
  keyId: string;
}

export interface StaffPrincipal {
  kind: 'staff';
  staffId: string;
  role: StaffRole;
  team?: string;
  name?: string;
}

export type Principal = PartnerPrincipal | StaffPrincipal;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export function generateApiKey(channel: string): string {
  const slug = channel
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 12)
    .toLowerCase();
  return `ck_${slug}_${randomBytes(24).toString('base64url')}`;
}

export interface StoredApiKey {
  channel: string;
  /** SHA-256 of the key, hex. The keys are 192-bit random, so a fast hash is enough; the plain key is never stored. */
  sha256: string;
  id: string;
}

/** Looks up presented keys by hash; the file holds only hashes. */
export class ApiKeyStore {
  private readonly byHash = new Map<string, StoredApiKey>();

  constructor(keys: StoredApiKey[]) {
    for (const key of keys) {
      if (!/^[0-9a-f]{64}$/.test(key.sha256))
        throw new Error(`API key ${key.id}: sha256 must be 64 hex characters`);
      this.byHash.set(key.sha256, key);
    }
  }

  static fromFile(path: string): ApiKeyStore {
    let parsed: { keys?: StoredApiKey[] };
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: StoredApiKey[] };
    } catch (error) {
      throw new Error(`cannot read API key file ${path}: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed.keys)) throw new Error(`API key file ${path} must hold {"keys": [...]}`);
    return new ApiKeyStore(parsed.keys);
  }

  get size(): number {
    return this.byHash.size;
  }

  verify(presented: string): StoredApiKey | undefined {
    return this.byHash.get(hashApiKey(presented));
  }
}

export interface StaffTokenOptions {
  secret: string;
  issuer: string;
}

const AUDIENCE = 'complaint-platform';

export async function signStaffToken(
  options: StaffTokenOptions,
  staff: { staffId: string; role: StaffRole; team?: string; name?: string },
  expiresIn = '12h',
): Promise<string> {
  return new SignJWT({ role: staff.role, team: staff.team, name: staff.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(staff.staffId)
    .setIssuer(options.issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(options.secret));
}

export async function verifyStaffToken(options: StaffTokenOptions, token: string): Promise<StaffPrincipal> {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(options.secret), {
    issuer: options.issuer,
    audience: AUDIENCE,
    algorithms: ['HS256'],
  });
  const role = payload.role as StaffRole;
  if (!payload.sub || !STAFF_ROLES.includes(role)) throw new Error('token has no subject or an unknown role');
  return {
    kind: 'staff',
    staffId: payload.sub,
    role,
    team: typeof payload.team === 'string' ? payload.team : undefined,
    name: typeof payload.name === 'string' ? payload.name : undefined,
  };
}

export interface AuthOptions {
  apiKeys?: ApiKeyStore;
  staffTokens?: StaffTokenOptions;
}

/** Which credentials a route accepts: partner API keys, and staff bearer tokens of these roles. */
export interface AllowedCallers {
  partner?: boolean;
  roles?: StaffRole[];
}

/**
 * The caller a request's headers prove, if it is one the route accepts. Everything else is 401 (no or bad
 * credential) or 403 (a valid credential without the right). `header` reads a request header by lower-case name.
 */
export async function principalFor(
  options: AuthOptions,
  allow: AllowedCallers,
  header: (name: string) => string | undefined,
): Promise<Principal> {
  const apiKey = header('x-api-key');
  const bearer = /^Bearer\s+(\S+)$/i.exec(header('authorization') ?? '')?.[1];
  if (apiKey !== undefined && allow.partner && options.apiKeys) {
    const key = options.apiKeys.verify(apiKey);
    if (!key) throw problems.unauthenticated('The X-Api-Key is not valid.');
    return { kind: 'partner', channel: key.channel, keyId: key.id };
  }
  if (bearer && allow.roles && options.staffTokens) {
    let staff: StaffPrincipal;
    try {
      staff = await verifyStaffToken(options.staffTokens, bearer);
    } catch (error) {
      throw problems.unauthenticated(`The bearer token is not valid: ${(error as Error).message}`);
    }
    if (!allow.roles.includes(staff.role)) {
      throw problems.forbidden(`Role ${staff.role} may not do this; allowed: ${allow.roles.join(', ')}.`);
    }
    return staff;
  }
  const wanted = [
    allow.partner ? 'an X-Api-Key header' : '',
    allow.roles ? 'a staff bearer token' : '',
  ].filter(Boolean);
  if (apiKey !== undefined || bearer) throw problems.forbidden(`This route needs ${wanted.join(' or ')}.`);
  throw problems.unauthenticated(`Send ${wanted.join(' or ')}.`);
}

/** Express middleware: sets `req.principal` for the callers the route accepts, see `principalFor`. */
export function authenticate(options: AuthOptions, allow: AllowedCallers) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.principal = await principalFor(options, allow, (name) => req.get(name));
    next();
  };
}
