// Who the console asks as. The API decides how a caller is named (AUTH_MODE): in header mode it trusts the
// x-user-id header, in JWT mode it verifies a bearer token and ignores that header. The page cannot ask the API
// which mode it runs in (no endpoint exists for the page), so the user says which credential they hold. It is
// kept in sessionStorage: gone with the tab, never written to disk by the page.

export type Identity = { kind: 'user'; userId: string } | { kind: 'token'; token: string };

const STORAGE_KEY = 'agent-session-store.console.identity';

export function loadIdentity(storage: Storage = sessionStorage): Identity | null {
  const stored = storage.getItem(STORAGE_KEY);
  if (stored === null) return null;
  try {
    const identity = JSON.parse(stored) as Identity;
    if (identity.kind === 'user' && identity.userId) return identity;
    if (identity.kind === 'token' && identity.token) return identity;
  } catch {
    // A damaged entry is the same as none.
  }
  return null;
}

export function saveIdentity(identity: Identity, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(identity));
}

export function forgetIdentity(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}

/** The request headers that name the caller. */
export function credentialHeaders(identity: Identity): Record<string, string> {
  return identity.kind === 'user'
    ? { 'x-user-id': identity.userId }
    : { authorization: `Bearer ${identity.token}` };
}

/** How the page shows the caller: a user id as it is, a token by its last characters only. */
export function describeIdentity(identity: Identity): string {
  return identity.kind === 'user' ? `user ${identity.userId}` : `bearer token …${identity.token.slice(-6)}`;
}
