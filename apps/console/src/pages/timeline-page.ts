// A session's timeline: its events in seq order, and the view as it was after any of them, compared with the
// view after another seq, so "what did this event change" is one click.

import { ApiClient, ApiError, apiError, PastState, SessionEvent, SessionView } from '../api';
import { Change, Json, structuralDiff } from '../diff';
import { h, replace } from '../dom';
import { compactJson, formatTime, prettyJson } from '../format';
import { sessionHref, sessionsHref } from '../router';
import { openChangeStream } from '../sse';
import { summarizeEvent } from '../summary';
import { liveIndicator } from './live-indicator';
import { problem } from './problem';

/** Events per request: the API's largest page. */
const EVENTS_PAGE = 1000;
/**
 * Events the timeline lists: a page with more rows than this is slow to draw and no easier to read. The state panel
 * still folds any seq, and `?at=` reaches the later ones.
 */
const MAX_EVENTS_LISTED = 10_000;

/** Where the timeline stands; every choice is in the URL fragment. */
interface Selection {
  seq: number | null;
  /** The seq to compare with: null for the previous event's, 0 for before the session existed. */
  against: number | null;
  at: string | null;
}

export function renderTimeline(
  container: HTMLElement,
  sessionId: string,
  params: URLSearchParams,
  api: ApiClient,
): () => void {
  const controller = new AbortController();
  const selection: Selection = {
    seq: numberParam(params.get('seq')),
    against: numberParam(params.get('against')),
    at: params.get('at'),
  };
  const heading = h('section', { class: 'session-head' }, h('h1', {}, sessionId));
  const body = h('section', { class: 'timeline-body' }, h('p', { class: 'hint' }, 'Loading…'));
  container.append(h('a', { href: sessionsHref(), class: 'back' }, '« sessions'), heading, body);
  let stopLive = (): void => undefined;
  let agentId: string | undefined;
  /** What the page shows now; a reload that finds the same leaves the page (and an open payload) alone. */
  let shown = '';

  const load = async (): Promise<void> => {
    const [view, events] = await Promise.allSettled([
      api.session(sessionId, controller.signal),
      allEvents(api, sessionId, controller.signal),
    ]);
    if (controller.signal.aborted) return;
    if (events.status === 'rejected') {
      replace(heading, h('h1', {}, sessionId));
      replace(body, refusal(events.reason));
      return;
    }
    // The owner may read a deleted session's history, which GET /sessions/:id answers with a 404.
    if (view.status === 'rejected' && !(view.reason instanceof ApiError && view.reason.status === 404)) {
      replace(body, problem(view.reason));
      return;
    }
    const current = view.status === 'fulfilled' ? view.value : null;
    const seen = JSON.stringify([current, events.value.map((event) => event.event_id)]);
    if (seen === shown) return;
    shown = seen;
    const created = events.value.find((event) => event.type === 'session.created');
    agentId = current?.session.agent_id ?? (created?.data.agent_id as string | undefined);
    replace(heading, sessionHead(sessionId, current, events.value));
    replace(
      body,
      timeline(events.value),
      statePanel(api, sessionId, events.value, selection, controller.signal),
    );
  };

  void load().then(() => {
    if (!agentId || controller.signal.aborted) return;
    const live = liveIndicator();
    const reload = (): Promise<void> =>
      load().then(() => heading.querySelector('.facts')?.append(live.element));
    heading.querySelector('.facts')?.append(live.element);
    // A new event of this session shows up here as it is projected: the timeline and its state are reloaded.
    stopLive = openChangeStream({
      url: `/sessions/changes?${new URLSearchParams({ agent_id: agentId, view: 'summary' })}`,
      headers: api.headers,
      onState: (state) => {
        live.show(state);
        // The stream carries changes from its subscription on: whatever changed before that, since the page
        // loaded, is read once more now.
        if (state.kind === 'live') void reload();
      },
      describeRefusal: async (response) => (await apiError(response)).message,
      onEvent: (event) => {
        if ((JSON.parse(event.data) as { session_id: string }).session_id === sessionId) void reload();
      },
    });
  });

  // The arrow keys step through the events, as the « previous and next » links do, unless a field has the keys.
  const step = (event: KeyboardEvent): void => {
    const direction = { ArrowLeft: 'previous', ArrowRight: 'next' }[event.key];
    if (!direction || event.altKey || event.ctrlKey || event.metaKey) return;
    if ((event.target as HTMLElement).closest('input, select, textarea')) return;
    body.querySelector<HTMLAnchorElement>(`a.step[data-step=${direction}]`)?.click();
  };
  document.addEventListener('keydown', step);

  return () => {
    controller.abort();
    stopLive();
    document.removeEventListener('keydown', step);
  };

  function selectHref(changes: Partial<Selection>): string {
    const next = { ...selection, ...changes };
    return sessionHref(sessionId, {
      seq: next.seq === null ? undefined : String(next.seq),
      against: next.against === null ? undefined : String(next.against),
      at: next.at ?? undefined,
    });
  }

  function timeline(events: SessionEvent[]): HTMLElement {
    if (events.length === 0) return h('p', { class: 'hint' }, 'No events.');
    const rows: HTMLElement[] = [];
    let expected = 1;
    for (const event of events) {
      if (event.seq > expected) rows.push(gapRow(expected, event.seq - 1));
      expected = event.seq + 1;
      rows.push(
        h(
          'li',
          { class: 'event', 'data-seq': event.seq },
          h(
            'a',
            { class: 'event-line', href: selectHref({ seq: event.seq, against: null, at: null }) },
            h('span', { class: 'seq' }, `#${event.seq}`),
            h('span', { class: 'type' }, event.type.replace(/^session\./, '')),
            h('time', { datetime: event.occurred_at }, formatTime(event.occurred_at)),
            h('span', { class: 'summary' }, summarizeEvent(event.type, event.data)),
          ),
          h('details', { class: 'payload' }, h('summary', {}, 'payload'), h('pre', {}, prettyJson(event))),
        ),
      );
    }
    return h('ol', { class: 'timeline', 'data-testid': 'timeline' }, rows);
  }

  function statePanel(
    client: ApiClient,
    id: string,
    events: SessionEvent[],
    chosen: Selection,
    signal: AbortSignal,
  ): HTMLElement {
    const panel = h('aside', { class: 'state card', 'data-testid': 'state' });
    if (events.length === 0) return panel;
    const seqs = events.map((event) => event.seq);
    void (async () => {
      try {
        // An instant is resolved to the last seq that occurred by then; the rest works from that seq.
        const atInstant = chosen.at ? await client.stateAt(id, { at: chosen.at }, signal) : null;
        const seq = atInstant?.version ?? chosen.seq ?? seqs[seqs.length - 1];
        const index = seqs.indexOf(seq);
        const against = chosen.against ?? (index > 0 ? seqs[index - 1] : 0);
        const [after, before] = await Promise.all([
          atInstant ?? client.stateAt(id, { atSeq: seq }, signal),
          against > 0 ? client.stateAt(id, { atSeq: against }, signal) : Promise.resolve(null),
        ]);
        if (signal.aborted) return;
        markSelected(seq);
        replace(panel, ...stateView(events, seqs, seq, against, after, before));
      } catch (error) {
        if (!signal.aborted) replace(panel, problem(error));
      }
    })();
    replace(panel, h('p', { class: 'hint' }, 'Folding the history…'));
    return panel;
  }

  function stateView(
    events: SessionEvent[],
    seqs: number[],
    seq: number,
    against: number,
    after: PastState,
    before: PastState | null,
  ): HTMLElement[] {
    const index = seqs.indexOf(seq);
    const event = events[index];
    const changes = structuralDiff((before?.view ?? {}) as Json, after.view as unknown as Json);
    return [
      h(
        'div',
        { class: 'stepper' },
        stepLink('« previous', 'previous', index > 0 ? seqs[index - 1] : null),
        h('strong', { 'data-testid': 'state-seq' }, `after #${seq}`),
        stepLink('next »', 'next', index >= 0 && index < seqs.length - 1 ? seqs[index + 1] : null),
      ),
      h(
        'p',
        { class: 'state-of' },
        event ? `${event.type} at ${formatTime(event.occurred_at)}` : `version ${after.version}`,
        selection.at && ` · the view as of ${selection.at}`,
        after.deleted && ' · deleted',
      ),
      compareForm(seqs, seq, against),
      h(
        'h2',
        {},
        `${changes.length} change${changes.length === 1 ? '' : 's'} `,
        h('small', {}, against > 0 ? `since #${against}` : 'since before the session existed'),
      ),
      diffTable(changes),
      h(
        'details',
        { class: 'full-view' },
        h('summary', {}, `The whole view after #${seq}`),
        h('pre', {}, prettyJson(after.view)),
      ),
      instantForm(),
    ];
  }

  /** The event whose view is shown: the chosen seq, the last one by the chosen instant, or the last of all. */
  function markSelected(seq: number): void {
    for (const row of body.querySelectorAll<HTMLElement>('li.event')) {
      const selected = row.dataset.seq === String(seq);
      row.classList.toggle('selected', selected);
      if (selected) row.setAttribute('aria-current', 'step');
      else row.removeAttribute('aria-current');
    }
  }

  function stepLink(label: string, direction: 'previous' | 'next', seq: number | null): HTMLElement {
    return seq === null
      ? h('span', { class: 'step disabled' }, label)
      : h(
          'a',
          { class: 'step', href: selectHref({ seq, against: null, at: null }), 'data-step': direction },
          label,
        );
  }

  function compareForm(seqs: number[], seq: number, against: number): HTMLElement {
    const choice = h(
      'select',
      {
        name: 'against',
        'aria-label': 'compare with',
        onchange: (event: Event) => {
          location.hash = selectHref({
            seq,
            against: Number((event.target as HTMLSelectElement).value),
            at: null,
          });
        },
      },
      h('option', { value: '0', selected: against === 0 }, 'before the session'),
      seqs
        .filter((other) => other !== seq)
        .map((other) => h('option', { value: other, selected: other === against }, `#${other}`)),
    );
    return h('label', { class: 'compare' }, 'Compare with ', choice);
  }

  function instantForm(): HTMLElement {
    const input = h('input', { name: 'at', value: selection.at ?? '', placeholder: '2025-03-03T09:04:30Z' });
    return h(
      'form',
      {
        class: 'instant',
        onsubmit: (event: Event) => {
          event.preventDefault();
          location.hash = selectHref({ seq: null, against: null, at: input.value.trim() || null });
        },
      },
      h('label', { class: 'field' }, 'The view as of an instant', input),
      h('button', { type: 'submit' }, 'Show'),
    );
  }
}

/** The session's events in seq order, up to MAX_EVENTS_LISTED. */
async function allEvents(api: ApiClient, sessionId: string, signal: AbortSignal): Promise<SessionEvent[]> {
  const events: SessionEvent[] = [];
  let afterSeq = 0;
  while (events.length < MAX_EVENTS_LISTED) {
    const page = await api.events(sessionId, afterSeq, EVENTS_PAGE, signal);
    events.push(...page.events);
    if (page.next_after_seq === null) break;
    afterSeq = page.next_after_seq;
  }
  return events;
}

function sessionHead(sessionId: string, view: SessionView | null, events: SessionEvent[]): HTMLElement {
  return h(
    'div',
    {},
    h('h1', {}, view?.session.config.name ?? sessionId),
    h(
      'p',
      { class: 'facts' },
      h('span', { class: 'id' }, sessionId),
      view
        ? [
            h('span', { class: `status ${view.status}` }, view.status),
            `source ${view.session.source}`,
            `team ${view.session.team_id ?? '—'}`,
            `created ${formatTime(view.session.created_at)}`,
            `updated ${formatTime(view.session.updated_at)}`,
          ].map((fact) => h('span', {}, fact))
        : h(
            'span',
            { class: 'status deleted' },
            'deleted: its history is kept, the view is no longer served',
          ),
      events.length < MAX_EVENTS_LISTED ? `${events.length} events` : `the first ${MAX_EVENTS_LISTED} events`,
    ),
  );
}

function gapRow(from: number, to: number): HTMLElement {
  return h(
    'li',
    { class: 'gap', 'data-testid': 'gap' },
    `#${from}${to > from ? `–#${to}` : ''} missing: never archived (a hole in what the runtime sent, or a `,
    'dead-lettered event); the views were folded without it',
  );
}

function diffTable(changes: Change[]): HTMLElement {
  if (changes.length === 0) {
    return h('p', { class: 'hint' }, 'The view is the same: this event changed nothing the view holds.');
  }
  return h(
    'table',
    { class: 'diff', 'data-testid': 'diff' },
    h('thead', {}, h('tr', {}, h('th', {}, 'path'), h('th', {}, 'before'), h('th', {}, 'after'))),
    h(
      'tbody',
      {},
      changes.map((change) =>
        h(
          'tr',
          { class: change.kind },
          h('td', { class: 'path' }, change.path),
          h('td', { class: 'before' }, compactJson(change.before)),
          h('td', { class: 'after' }, compactJson(change.after)),
        ),
      ),
    ),
  );
}

/** Another user's session, a deleted one's stranger, and an unknown id all get the API's same 404. */
function refusal(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 404) {
    return h(
      'div',
      { class: 'refusal card', role: 'alert', 'data-testid': 'refused' },
      h('h2', {}, `404 · ${error.detail}`),
      h(
        'p',
        {},
        'The API answers the same for a session that does not exist and for one that belongs to another user, so ',
        'nothing about it is shown here. Signed in as someone else? ',
        h('a', { href: `#/identity?next=${encodeURIComponent(location.hash)}` }, 'Change the caller'),
        '.',
      ),
    );
  }
  return problem(error);
}

function numberParam(value: string | null): number | null {
  if (value === null || value === '' || !/^\d+$/.test(value)) return null;
  return Number(value);
}
