// How times and values are written on every page.

import type { ProjectionLag } from './api';

/** `2025-03-03 09:01:00Z`: UTC, to the second, the same for every reader whatever their time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** A JSON value on one line, cut to `max` characters. */
export function compactJson(value: unknown, max = 120): string {
  const text = value === undefined ? '' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** What the freshness headers of a page say, in words. */
export function describeLag(lag: ProjectionLag): string {
  if (lag.events === 0) return 'read model current';
  const waited = lag.ms < 1000 ? `${lag.ms} ms` : `${(lag.ms / 1000).toFixed(1)} s`;
  return `read model ${lag.events} event${lag.events === 1 ? '' : 's'} behind (the oldest waiting ${waited})`;
}
