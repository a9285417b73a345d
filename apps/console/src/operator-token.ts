// The operator's credential (OPERATOR_TOKEN), apart from the user's identity: the operators' routes take it and
// nothing else, and a user id never reaches them. Kept in sessionStorage like the identity: gone with the tab.

const STORAGE_KEY = 'agent-session-store.console.operator-token';

export function loadOperatorToken(storage: Storage = sessionStorage): string | null {
  return storage.getItem(STORAGE_KEY) || null;
}

export function saveOperatorToken(token: string, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, token.trim().replace(/^Bearer\s+/i, ''));
}

export function forgetOperatorToken(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}
