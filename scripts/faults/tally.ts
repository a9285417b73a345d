import { isDeepStrictEqual } from 'node:util';
import { foldEvents, SessionEvent, SessionProjection } from '@app/domain';

/** What every scenario prints, and what decides its exit status. */
export interface Figures {
  scenario: string;
  /** Events the system acknowledged (the SDK's emit resolved, or ingest answered 202). */
  acknowledged: number;
  /** Acknowledged events found in the archive afterwards. */
  archived: number;
  /** Acknowledged events missing from the archive: the loss the system promises not to have. */
  lost: number;
  /** Views that hold more than their acknowledged history folds to (an event applied twice shows as that). */
  appliedTwice: number;
  /** Views that differ from the fold of what was acknowledged. */
  diverged: number;
  /** Reads that failed while the faults were injected (a reader loop beside the load). */
  readerErrors: number;
  /** Free-form facts of the scenario (kills, poison records dead-lettered, ...). */
  notes: string;
}

/** Each session's acknowledged events folded by the domain alone: what the store must hold. */
export function expectedViews(acknowledged: readonly SessionEvent[]): Map<string, SessionProjection> {
  const bySession = new Map<string, SessionEvent[]>();
  for (const event of acknowledged)
    bySession.set(event.session_id, [...(bySession.get(event.session_id) ?? []), event]);
  const views = new Map<string, SessionProjection>();
  for (const [sessionId, events] of bySession) {
    const folded = foldEvents(
      undefined,
      [...events].sort((a, b) => a.seq - b.seq),
    ).projection;
    if (folded) views.set(sessionId, folded);
  }
  return views;
}

export function compareViews(
  expected: ReadonlyMap<string, SessionProjection>,
  stored: ReadonlyMap<string, SessionProjection>,
): { diverged: number; appliedTwice: number } {
  let diverged = 0;
  let appliedTwice = 0;
  for (const [sessionId, view] of expected) {
    const found = stored.get(sessionId);
    if (!isDeepStrictEqual(found, view)) diverged += 1;
    if (found && found.version > view.version) appliedTwice += 1;
  }
  return { diverged, appliedTwice };
}

export function lostOf(acknowledged: readonly SessionEvent[], archivedIds: ReadonlySet<string>): number {
  return acknowledged.filter(({ event_id }) => !archivedIds.has(event_id)).length;
}

/** A promised loss: anything lost, applied twice or diverged after recovery. */
export function failed(figures: Figures): boolean {
  return figures.lost > 0 || figures.appliedTwice > 0 || figures.diverged > 0;
}

export function printFigures(all: readonly Figures[]): void {
  const header = [
    'scenario',
    'acknowledged',
    'archived',
    'lost',
    'applied twice',
    'diverged',
    'reader errors',
    'notes',
  ];
  const rows = all.map((f) => [
    f.scenario,
    String(f.acknowledged),
    String(f.archived),
    String(f.lost),
    String(f.appliedTwice),
    String(f.diverged),
    String(f.readerErrors),
    f.notes,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  for (const row of [header, ...rows]) {
    console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or the bound passes; the bound only ends a hang. */
export async function until(check: () => Promise<boolean>, boundMs: number): Promise<boolean> {
  const giveUpAt = Date.now() + boundMs;
  while (Date.now() < giveUpAt) {
    if (await check().catch(() => false)) return true;
    await sleep(500);
  }
  return false;
}
