// The console's only way to the server: the public API, as any client calls it, with the caller's credential.

import { FRESHNESS_HEADERS } from '../../../libs/freshness/src/freshness-header-names';
import type { DeadLetterBody } from '../../../libs/operations/src/dead-letter-body-shape';
import { credentialHeaders, Identity } from './identity';

export interface SessionView {
  session: {
    id: string;
    user_id: string;
    agent_id: string;
    config: Record<string, unknown> & { name?: string };
    source: string;
    source_schedule_id: string | null;
    team_id: string | null;
    created_at: string;
    updated_at: string;
    state: Record<string, unknown>;
  };
  is_running: boolean;
  status: string;
  team: unknown;
}

export interface SessionEvent {
  event_id: string;
  session_id: string;
  seq: number;
  type: string;
  occurred_at: string;
  schema_version: number;
  data: Record<string, unknown>;
}

export interface SessionPage {
  sessions: SessionView[];
  total: number;
  /** The cursor of the next page, from the `Link: <…>; rel="next"` header; null on the last page. */
  nextCursor: string | null;
  /** How far the read model was behind the log when the page was read; null when the API did not say. */
  lag: ProjectionLag | null;
}

export interface ProjectionLag {
  events: number;
  ms: number;
}

/** The lag the freshness headers of an answer state. */
export function projectionLag(headers: Headers): ProjectionLag | null {
  const events = headers.get(FRESHNESS_HEADERS.eventsBehind);
  const ms = headers.get(FRESHNESS_HEADERS.msBehind);
  if (events === null || ms === null) return null;
  return { events: Number(events), ms: Number(ms) };
}

export interface EventPage {
  events: SessionEvent[];
  next_after_seq: number | null;
}

export interface PastState {
  session_id: string;
  version: number;
  deleted: boolean;
  view: SessionView;
}

/** The list endpoint's filters, as its query parameters are named. */
export interface SessionFilters {
  agent_id: string;
  status?: string;
  source?: string;
  is_running?: string;
  team_id?: string;
  updated_after?: string;
  order?: string;
  limit?: string;
  cursor?: string;
}

/** A refusal from the API, with its `detail` made readable. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${status}: ${detail}`);
  }
}

export class ApiClient {
  constructor(
    private readonly identity: Identity,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async listSessions(filters: SessionFilters, signal?: AbortSignal): Promise<SessionPage> {
    const query = new URLSearchParams({ view: 'summary' });
    for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
    const response = await this.get(`/sessions/?${query}`, signal);
    const body = (await response.json()) as { sessions: SessionView[]; total: number };
    return {
      ...body,
      nextCursor: nextCursor(response.headers.get('link')),
      lag: projectionLag(response.headers),
    };
  }

  async session(id: string, signal?: AbortSignal): Promise<SessionView> {
    return (await this.get(`/sessions/${encodeURIComponent(id)}`, signal)).json();
  }

  async events(id: string, afterSeq: number, limit: number, signal?: AbortSignal): Promise<EventPage> {
    const query = new URLSearchParams({ after_seq: String(afterSeq), limit: String(limit) });
    return (await this.get(`/sessions/${encodeURIComponent(id)}/events?${query}`, signal)).json();
  }

  async stateAt(
    id: string,
    point: { atSeq: number } | { at: string },
    signal?: AbortSignal,
  ): Promise<PastState> {
    const query = 'atSeq' in point ? `at_seq=${point.atSeq}` : `at=${encodeURIComponent(point.at)}`;
    return (await this.get(`/sessions/${encodeURIComponent(id)}/state?${query}`, signal)).json();
  }

  /** The headers that open the change stream as this caller (see sse.ts: EventSource cannot send them). */
  get headers(): Record<string, string> {
    return credentialHeaders(this.identity);
  }

  private async get(path: string, signal?: AbortSignal): Promise<Response> {
    const response = await this.fetcher(path, { headers: this.headers, signal, cache: 'no-cache' });
    if (!response.ok) throw await apiError(response);
    return response;
  }
}

/** A dead letter as GET /operations/dead-letters answers it. */
export type DeadLetter = DeadLetterBody;

export interface RedriveResult {
  id: string;
  outcome: 'projected' | 'dead_lettered_again';
  reasons: string[];
}

export interface ViewStampBody {
  fold_version: number;
  shape: string;
}

export interface Generations {
  active: string;
  current_stamp: ViewStampBody | null;
  generations: { name: string; active: boolean; stamp: ViewStampBody | null; current: boolean }[];
}

/** The operators' routes (/operations/*), with the operator token: a user's identity is not sent to them. */
export class OperatorClient {
  constructor(
    private readonly token: string,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async deadLetters(signal?: AbortSignal): Promise<DeadLetter[]> {
    const body = (await this.call('GET', '/operations/dead-letters', signal)) as {
      dead_letters: DeadLetter[];
    };
    return body.dead_letters;
  }

  async redrive(id: string, signal?: AbortSignal): Promise<RedriveResult> {
    return (await this.call(
      'POST',
      `/operations/dead-letters/${encodeURIComponent(id)}/redrive`,
      signal,
    )) as RedriveResult;
  }

  async generations(signal?: AbortSignal): Promise<Generations> {
    return (await this.call('GET', '/operations/generations', signal)) as Generations;
  }

  private async call(method: string, path: string, signal?: AbortSignal): Promise<unknown> {
    const response = await this.fetcher(path, {
      method,
      headers: { authorization: `Bearer ${this.token}` },
      signal,
      cache: 'no-store',
    });
    if (!response.ok) throw await apiError(response);
    return response.json();
  }
}

/** Readiness and metrics name no caller. */
export async function fetchOperations(
  signal?: AbortSignal,
): Promise<{ ready: { status: number; body: unknown }; metrics: string }> {
  const [ready, metrics] = await Promise.all([
    fetch('/health/ready', { signal }),
    fetch('/metrics', { signal }),
  ]);
  if (!metrics.ok) throw await apiError(metrics);
  return { ready: { status: ready.status, body: await ready.json() }, metrics: await metrics.text() };
}

export async function apiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    return new ApiError(response.status, readableDetail((JSON.parse(text) as { detail?: unknown }).detail));
  } catch {
    return new ApiError(response.status, text || response.statusText);
  }
}

/** `{"detail": "..."}` as it is; FastAPI's 422 list as one `loc: msg` per problem. */
export function readableDetail(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((issue: { loc?: unknown[]; msg?: string }) => `${(issue.loc ?? []).join('.')}: ${issue.msg ?? ''}`)
      .join('; ');
  }
  return JSON.stringify(detail);
}

/** The `cursor` of the URL a `Link` header marks `rel="next"`. */
export function nextCursor(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return new URL(match[1], 'http://link.invalid').searchParams.get('cursor');
  }
  return null;
}
