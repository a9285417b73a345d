import { EventArchive, ViewGenerations } from '@app/ports';
import { INestApplicationContext } from '@nestjs/common';
import { Workload } from './workload';

const READ_CHUNK = 500;

/**
 * Checks, through the ports, that every event was archived and applied: each session's events are seqs 1..n, so
 * its view's version is n, and the versions add up to the number of events.
 */
export async function assertProjected(app: INestApplicationContext, workload: Workload): Promise<void> {
  const archived = await app.get(EventArchive).count();
  if (archived !== workload.events.length) {
    throw new Error(`the archive holds ${archived} of ${workload.events.length} events`);
  }
  const generations = app.get(ViewGenerations);
  const store = generations.store(await generations.active());
  let views = 0;
  let applied = 0;
  for (let start = 0; start < workload.sessionIds.length; start += READ_CHUNK) {
    const projections = await store.getMany(workload.sessionIds.slice(start, start + READ_CHUNK));
    views += projections.size;
    for (const projection of projections.values()) applied += projection.version;
  }
  if (views !== workload.sessionIds.length || applied !== workload.events.length) {
    throw new Error(
      `${views} of ${workload.sessionIds.length} sessions have a view, holding ${applied} of ${workload.events.length} events`,
    );
  }
}
