import type { ViewStore } from './view-store';

/**
 * Views live in generations so that a rebuild can fill a fresh one while the active one keeps serving. The active
 * generation is named by a pointer document (or row), switched atomically; renaming collections is avoided because
 * not every MongoDB-compatible server supports renameCollection with dropTarget.
 */
export abstract class ViewGenerations {
  /** The generation serving reads and receiving the projector's writes. Created on first use. */
  abstract active(): Promise<string>;
  /** A new, empty generation with its indexes, not yet serving. */
  abstract create(): Promise<string>;
  abstract store(generation: string): ViewStore;
  /** Points readers and the projector at `generation`; returns the previously active one. */
  abstract activate(generation: string): Promise<string>;
  abstract list(): Promise<string[]>;
  abstract drop(generation: string): Promise<void>;
}
