import { SessionProjection } from '@app/domain';
import {
  GenerationRetiredError,
  isCurrentStamp,
  RebuildRequiredError,
  ViewGenerations,
  ViewStore,
} from '@app/ports';

/**
 * A batch that meets more switches than this in a row gives up and is redelivered; each switch is the end of a whole
 * rebuild, so meeting several within one batch means something keeps switching.
 */
export const MAX_GENERATION_SWITCHES = 5;

/**
 * The active generation's store, once its stamp is this build's: a generation built by another fold or shape is
 * never written (RebuildRequiredError, which names the command that fixes it).
 */
export async function writableActiveStore(
  generations: ViewGenerations,
): Promise<{ generation: string; store: ViewStore }> {
  const generation = await generations.active();
  const stamp = await generations.stamp(generation);
  if (!isCurrentStamp(stamp)) throw new RebuildRequiredError(generation, stamp);
  return { generation, store: generations.store(generation) };
}

/** The active generation's writable store and the stored views of some sessions there, read ahead of a write. */
export interface ActiveViews {
  generation: string;
  store: ViewStore;
  /** A session without a stored view is absent. */
  views: Map<string, SessionProjection>;
}

/**
 * Reads what a batch's write starts from (the pointer, the stamp and the views of `sessionIds`), so that a batch can
 * read it while its archive write is in flight instead of after it: neither depends on the other.
 */
export async function readActiveViews(
  generations: ViewGenerations,
  sessionIds: readonly string[],
): Promise<ActiveViews> {
  const { generation, store } = await writableActiveStore(generations);
  return { generation, store, views: await store.getMany(sessionIds) };
}

/**
 * Runs `write` against the active generation. When a switch retires that generation under it, the store refuses
 * the write (GenerationRetiredError); the pointer is then read again and the whole of `write` applied to the
 * generation now active, which re-reads its views there, so no batch is lost to the old one however slow it is.
 * `onFenced` hears of each refusal.
 *
 * With `readAhead`, the first attempt writes to its store and hands `write` its views; the fence is the same, since
 * the store checks the pointer at the write itself, not where it was read. Every later attempt reads afresh.
 */
export async function writeToActiveGeneration<T>(
  generations: ViewGenerations,
  write: (store: ViewStore, readAhead?: ReadonlyMap<string, SessionProjection>) => Promise<T>,
  onFenced: (retired: string) => void = () => undefined,
  readAhead?: ActiveViews,
): Promise<T> {
  let ahead = readAhead;
  for (let switches = 0; ; switches += 1) {
    const { generation, store } = ahead ?? (await writableActiveStore(generations));
    const views = ahead?.views;
    ahead = undefined;
    try {
      return await write(store, views);
    } catch (error) {
      if (!(error instanceof GenerationRetiredError) || switches === MAX_GENERATION_SWITCHES) throw error;
      onFenced(generation);
    }
  }
}
