// The console's shell: a header with the pages and the caller, and the page the URL fragment names.

import { ApiClient } from './api';
import { append, h, replace } from './dom';
import { describeIdentity, Identity, loadIdentity } from './identity';
import { renderIdentity } from './pages/identity-page';
import { renderOperations } from './pages/operations-page';
import { renderSessions } from './pages/sessions-page';
import { renderTimeline } from './pages/timeline-page';
import { parseRoute, Route } from './router';

/** What a page leaves running (a stream, a request) is stopped when another page replaces it. */
export type Cleanup = () => void;

const root = document.getElementById('app')!;
const caller = h('span', { class: 'caller' });
const main = h('main', { id: 'page' });
let cleanup: Cleanup | void;

append(root, [
  h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/sessions' }, 'agent-session-store', h('small', {}, 'audit console')),
    h(
      'nav',
      {},
      h('a', { href: '#/sessions', 'data-page': 'sessions' }, 'Sessions'),
      h('a', { href: '#/operations', 'data-page': 'operations' }, 'Operations'),
    ),
    caller,
  ),
  main,
]);

function show(): void {
  cleanup?.();
  const route = parseRoute(location.hash);
  const identity = loadIdentity();
  showCaller(identity);
  for (const link of root.querySelectorAll<HTMLAnchorElement>('nav a')) {
    link.classList.toggle(
      'current',
      link.dataset.page === (route.page === 'session' ? 'sessions' : route.page),
    );
  }
  replace(main);
  cleanup = render(route, identity);
  window.scrollTo(0, 0);
}

function render(route: Route, identity: Identity | null): Cleanup | void {
  if (route.page === 'operations') return renderOperations(main);
  if (route.page === 'identity' || identity === null) {
    return renderIdentity(main, route.page === 'identity' ? route.params.get('next') : location.hash);
  }
  const api = new ApiClient(identity);
  if (route.page === 'session') return renderTimeline(main, route.sessionId, route.params, api);
  return renderSessions(main, route.params, api);
}

function showCaller(identity: Identity | null): void {
  replace(
    caller,
    identity ? h('span', { class: 'who', 'data-testid': 'caller' }, describeIdentity(identity)) : 'nobody',
    h('a', { href: `#/identity?next=${encodeURIComponent(location.hash)}` }, identity ? 'change' : 'sign in'),
  );
}

window.addEventListener('hashchange', show);
show();
