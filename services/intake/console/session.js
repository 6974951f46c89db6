// The signed-in staff member: a pasted bearer token, kept in sessionStorage (gone when the tab closes).

const KEY = 'complaints.console.token';

/** Reads the token's claims for display only; the services verify the signature on every call. */
export function claimsOf(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('A staff token has three dot-separated parts (a JWT).');
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('The token’s middle part is not readable JSON: paste the whole token.');
  }
}

export function signIn(raw) {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  if (!token) throw new Error('Paste a staff bearer token first. 请粘贴令牌。');
  const claims = claimsOf(token);
  if (!claims.sub || !claims.role) throw new Error('This token names no staff member or role.');
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now())
    throw new Error(`This token expired at ${new Date(claims.exp * 1000).toLocaleString()}. 令牌已过期。`);
  sessionStorage.setItem(KEY, token);
  return current();
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** { token, staffId, role, team, name, expiresAt } or null when nobody is signed in. */
export function current() {
  const token = sessionStorage.getItem(KEY);
  if (!token) return null;
  try {
    const claims = claimsOf(token);
    return {
      token,
      staffId: claims.sub,
      role: claims.role,
      team: claims.team,
      name: claims.name,
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    signOut();
    return null;
  }
}
