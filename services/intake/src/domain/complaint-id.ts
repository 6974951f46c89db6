// Complaint ids: derived from the channel and its Idempotency-Key, so a retried POST can only ever name the same complaint.
import { createHash } from 'node:crypto';

// Crockford base32: no I, L, O, U, so an id read out over the phone is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** CMP-XXXX-XXXX-XXXX-XXXX: 80 bits of SHA-256 over channel and key. */
export function complaintIdFor(channel: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${channel}\n${idempotencyKey}`, 'utf8').digest();
  let bits = 0n;
  for (let i = 0; i < 10; i++) bits = (bits << 8n) | BigInt(digest[i]);
  let chars = '';
  for (let i = 0; i < 16; i++) {
    chars = ALPHABET[Number(bits & 31n)] + chars;
    bits >>= 5n;
  }
  return `CMP-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}

/** Stable fingerprint of a body: key order does not matter, any value change does. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,200}$/;
