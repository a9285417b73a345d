import { LogPosition } from '@app/ports';

interface Sighting {
  /** The log reached this far on the partition... */
  next: number;
  /** ...by this instant (ms since the epoch), when it was seen. */
  at: number;
}

/** Sightings kept per partition while the projection is behind; past it, later ones are merged (see `observe`). */
const MAX_SIGHTINGS = 1000;

/**
 * How long the oldest record the projection has not applied has been in the log, from sightings of the log's end.
 * A sighting says "by `at`, the log reached `next`", so the oldest unapplied record of a partition was in the log
 * by the first sighting past the applied position. Time is measured from when this process first saw a record,
 * so it can fall short of the truth by one watch interval, and by however long the records waited before this
 * process started; never more than the truth.
 */
export class LagClock {
  private readonly sightings = new Map<number, Sighting[]>();

  /** Notes where the log ends at `now`, and forgets what `applied` has caught up with. */
  observe(applied: LogPosition, head: LogPosition, now: number): void {
    for (const [partition, next] of head) {
      const seen = this.sightings.get(partition) ?? [];
      const covered = applied.get(partition) ?? 0;
      while (seen.length > 0 && seen[0].next <= covered) seen.shift();
      if (next > covered && (seen.length === 0 || next > seen[seen.length - 1].next)) {
        // The oldest sighting decides the lag; merging the two after it only blurs how lag falls once it is applied.
        if (seen.length === MAX_SIGHTINGS) seen.splice(1, 1);
        seen.push({ next, at: now });
      }
      if (seen.length > 0) this.sightings.set(partition, seen);
      else this.sightings.delete(partition);
    }
  }

  /** Milliseconds the oldest unapplied record has waited at `now`, over all partitions; 0 when none waits. */
  msBehind(applied: LogPosition, now: number): number {
    let oldest = now;
    for (const [partition, seen] of this.sightings) {
      const first = seen.find(({ next }) => next > (applied.get(partition) ?? 0));
      if (first && first.at < oldest) oldest = first.at;
    }
    return now - oldest;
  }
}
