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

/**
 * Runs `write` against the active generation. When a switch retires that generation under it, the store refuses
 * the write (GenerationRetiredError); the pointer is then read again and the whole of `write` applied to the
 * generation now active, which re-reads its views there, so no batch is lost to the old one however slow it is.
 * `onFenced` hears of each refusal.
 */
export async function writeToActiveGeneration<T>(
  generations: ViewGenerations,
  write: (store: ViewStore) => Promise<T>,
  onFenced: (retired: string) => void = () => undefined,
): Promise<T> {
  for (let switches = 0; ; switches += 1) {
    const { generation, store } = await writableActiveStore(generations);
    try {
      return await write(store);
    } catch (error) {
      if (!(error instanceof GenerationRetiredError) || switches === MAX_GENERATION_SWITCHES) throw error;
      onFenced(generation);
    }
  }
}
