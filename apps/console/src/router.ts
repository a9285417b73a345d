// The console routes with the URL fragment (`#/sessions/ID?seq=4`): the server only ever sees /console/ and its
// files, and every view of the console is a link that can be shared or reloaded.

export type Route =
  | { page: 'identity'; params: URLSearchParams }
  | { page: 'sessions'; params: URLSearchParams }
  | { page: 'session'; sessionId: string; params: URLSearchParams }
  | { page: 'operations'; params: URLSearchParams };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'sessions' && parts.length === 2) {
    return { page: 'session', sessionId: decodeURIComponent(parts[1]), params };
  }
  if (parts[0] === 'identity') return { page: 'identity', params };
  if (parts[0] === 'operations') return { page: 'operations', params };
  return { page: 'sessions', params };
}

export function sessionsHref(params: Record<string, string | undefined> = {}): string {
  return `#/sessions${queryOf(params)}`;
}

export function sessionHref(sessionId: string, params: Record<string, string | undefined> = {}): string {
  return `#/sessions/${encodeURIComponent(sessionId)}${queryOf(params)}`;
}

function queryOf(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `?${text}` : '';
}
