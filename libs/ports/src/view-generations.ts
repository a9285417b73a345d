import type { ViewStamp } from './view-stamp';
import type { ViewStore } from './view-store';

/**
 * Views live in generations so that a rebuild can fill a fresh one while the active one keeps serving. The active
 * generation is named by a pointer document (or row), switched atomically; renaming collections is avoided because
 * not every MongoDB-compatible server supports renameCollection with dropTarget.
 *
 * Each generation is stamped at creation with the build's `currentViewStamp()`; writers check it (see
 * RebuildRequiredError). A generation that served and was then replaced by `activate` is retired: its store refuses
 * writes with GenerationRetiredError, so a writer that read the old pointer cannot land a batch there after the
 * switch. Activating it again (a rollback) returns it to service.
 */
export abstract class ViewGenerations {
  /** The generation serving reads and receiving the projector's writes. Created on first use. */
  abstract active(): Promise<string>;
  /** A new, empty generation with its indexes, not yet serving, stamped with this build's stamp. */
  abstract create(): Promise<string>;
  /** The stamp `generation` was created with; null when it predates stamps. */
  abstract stamp(generation: string): Promise<ViewStamp | null>;
  abstract store(generation: string): ViewStore;
  /** Points readers and the projector at `generation`; returns the previously active one. */
  abstract activate(generation: string): Promise<string>;
  abstract list(): Promise<string[]>;
  abstract drop(generation: string): Promise<void>;
}
