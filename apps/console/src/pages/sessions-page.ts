// Sessions: the caller's sessions of one agent, with the list endpoint's filters and paging, kept current by the
// change stream.

import { ApiClient, apiError, SessionFilters, SessionPage, SessionView } from '../api';
import { h, replace } from '../dom';
import { describeLag, formatTime } from '../format';
import { sessionHref, sessionsHref } from '../router';
import { openChangeStream } from '../sse';
import { liveIndicator } from './live-indicator';
import { problem } from './problem';

const LAST_AGENT_KEY = 'agent-session-store.console.agent';
// The filters' values as the API documents them (the origin's value domains). A client of the API like any other,
// the page does not import the server's modules: libs/domain's lists come with class-validator's decorated classes.
const STATUSES = ['running', 'idle', 'awaiting_permission', 'awaiting_external_result'];
const SOURCES = ['user', 'schedule', 'channel'];

/** Changes shown under the table, newest first. */
const RECENT_CHANGES = 5;

export function renderSessions(container: HTMLElement, params: URLSearchParams, api: ApiClient): () => void {
  const agentId = params.get('agent_id') ?? sessionStorage.getItem(LAST_AGENT_KEY) ?? '';
  const filters: SessionFilters = {
    agent_id: agentId,
    status: params.get('status') ?? undefined,
    source: params.get('source') ?? undefined,
    is_running: params.get('is_running') ?? undefined,
    team_id: params.get('team_id') ?? undefined,
    updated_after: params.get('updated_after') ?? undefined,
    order: params.get('order') ?? undefined,
    limit: params.get('limit') ?? undefined,
    cursor: params.get('cursor') ?? undefined,
  };
  const results = h('section', { class: 'results', 'aria-live': 'polite' });
  container.append(h('h1', {}, 'Sessions'), filterForm(filters), results);
  if (!agentId) {
    replace(results, h('p', { class: 'hint' }, 'Name an agent to list your sessions of it.'));
    return () => undefined;
  }
  sessionStorage.setItem(LAST_AGENT_KEY, agentId);

  const controller = new AbortController();
  const live = liveIndicator();
  const changes = h('ol', { class: 'changes', 'data-testid': 'changes' });
  let loading: Promise<void> | null = null;
  let reloadAgain = false;
  const flashed = new Set<string>();

  const load = async (): Promise<void> => {
    try {
      const page = await api.listSessions(filters, controller.signal);
      replace(
        results,
        pageHeader(page, filters, live.element),
        sessionTable(page.sessions, flashed),
        changes.children.length > 0 && h('h2', {}, 'Changes while this page was open'),
        changes,
      );
      flashed.clear();
    } catch (error) {
      if (!controller.signal.aborted) replace(results, problem(error));
    }
  };
  // Changes come in bursts (one per event of a batch): one list request at a time, and one more after it if
  // anything changed meanwhile, so the table ends current without a request per change.
  const reload = (): void => {
    if (loading) {
      reloadAgain = true;
      return;
    }
    loading = load().finally(() => {
      loading = null;
      if (reloadAgain) {
        reloadAgain = false;
        reload();
      }
    });
  };
  reload();

  const stop = openChangeStream({
    url: `/sessions/changes?${new URLSearchParams({ agent_id: agentId, view: 'summary' })}`,
    headers: api.headers,
    onState: (state) => {
      live.show(state);
      // The stream carries changes from its subscription on: a change made between the first list request and
      // the subscription is picked up by reading the page once more.
      if (state.kind === 'live') reload();
    },
    describeRefusal: async (response) => (await apiError(response)).message,
    onEvent: (event) => {
      const change = JSON.parse(event.data) as { session_id: string; version: number };
      flashed.add(change.session_id);
      changes.prepend(
        h(
          'li',
          {},
          h('time', {}, formatTime(new Date().toISOString())),
          ' ',
          h('a', { href: sessionHref(change.session_id) }, change.session_id),
          ` ${event.event === 'session.deleted' ? 'deleted' : 'updated'} to version ${change.version}`,
        ),
      );
      while (changes.children.length > RECENT_CHANGES) changes.lastElementChild!.remove();
      reload();
    },
  });
  return () => {
    controller.abort();
    stop();
  };
}

function filterForm(filters: SessionFilters): HTMLFormElement {
  const form = h(
    'form',
    {
      class: 'filters card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const values = Object.fromEntries(new FormData(form)) as Record<string, string>;
        location.hash = sessionsHref(values);
      },
    },
    field(
      'Agent',
      h('input', { name: 'agent_id', required: true, value: filters.agent_id, placeholder: 'demo-agent' }),
    ),
    field('Status', select('status', STATUSES, filters.status)),
    field('Source', select('source', SOURCES, filters.source)),
    field('Running', select('is_running', ['true', 'false'], filters.is_running)),
    field('Team', h('input', { name: 'team_id', value: filters.team_id ?? '' })),
    field(
      'Updated after',
      h('input', {
        name: 'updated_after',
        value: filters.updated_after ?? '',
        placeholder: '2025-03-04T00:00:00Z',
      }),
    ),
    // `created` is the API's default order (the origin's), so leaving it out asks for it; `updated` puts recently
    // active sessions first.
    field('Order', select('order', ['updated'], filters.order, 'created')),
    // Empty: the API's own default page.
    field(
      'Page size',
      h('input', { name: 'limit', type: 'number', min: 1, max: 200, value: filters.limit ?? '' }),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'List'),
  );
  return form;
}

function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field' }, label, input);
}

/** A choice of `options`, or none (the API's default), shown as `none`. */
function select(
  name: string,
  options: string[],
  selected: string | undefined,
  none = 'any',
): HTMLSelectElement {
  return h(
    'select',
    { name },
    h('option', { value: '' }, none),
    options.map((option) => h('option', { value: option, selected: option === selected }, option)),
  );
}

function pageHeader(page: SessionPage, filters: SessionFilters, live: HTMLElement): HTMLElement {
  const { cursor, ...firstPage } = filters;
  return h(
    'div',
    { class: 'page-header' },
    h('span', { 'data-testid': 'total' }, `${page.total} session${page.total === 1 ? '' : 's'}`),
    page.lag && h('span', { 'data-testid': 'lag', class: 'hint' }, describeLag(page.lag)),
    cursor && h('a', { href: sessionsHref({ ...firstPage }) }, '« first page'),
    page.nextCursor &&
      h('a', { href: sessionsHref({ ...firstPage, cursor: page.nextCursor }) }, 'next page »'),
    live,
  );
}

function sessionTable(sessions: SessionView[], flashed: Set<string>): HTMLElement {
  if (sessions.length === 0) return h('p', { class: 'hint' }, 'No sessions match.');
  return h(
    'table',
    { class: 'sessions' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Session', 'Status', 'Source', 'Team', 'Created', 'Updated'].map((name) => h('th', {}, name)),
      ),
    ),
    h(
      'tbody',
      {},
      sessions.map(({ session, status, is_running }) =>
        h(
          'tr',
          { 'data-session-id': session.id, class: flashed.has(session.id) ? 'flash' : null },
          h(
            'td',
            {},
            h('a', { href: sessionHref(session.id) }, session.config.name ?? session.id),
            h('div', { class: 'id' }, session.id),
          ),
          h(
            'td',
            {},
            h('span', { class: `status ${status}`, 'data-testid': 'status' }, status),
            is_running && ' ●',
          ),
          h(
            'td',
            {},
            session.source,
            session.source_schedule_id && h('div', { class: 'id' }, session.source_schedule_id),
          ),
          h('td', {}, session.team_id ?? '—'),
          h('td', {}, h('time', { datetime: session.created_at }, formatTime(session.created_at))),
          h('td', {}, h('time', { datetime: session.updated_at }, formatTime(session.updated_at))),
        ),
      ),
    ),
  );
}
