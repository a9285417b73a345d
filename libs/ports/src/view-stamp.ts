import { createHash } from 'node:crypto';
import { canonicalJson, FOLD_VERSION, sessionViewSchemas } from '@app/domain';
import { VIEW_FIELDS } from './view-fields';

/**
 * What built a view generation: the fold's version and a fingerprint of the stored shape: the SessionView's schema
 * (from its one declaration) and the view field table, from which every store derives its columns, fields and
 * indexes. A generation is written only by a build with the same stamp; any other needs a rebuild, which creates a
 * generation of the new shape.
 */
export interface ViewStamp {
  foldVersion: number;
  shape: string;
}

/** The stamp of this build. */
export function currentViewStamp(): ViewStamp {
  return CURRENT_STAMP;
}

const CURRENT_STAMP: ViewStamp = {
  foldVersion: FOLD_VERSION,
  shape: createHash('sha256')
    .update(canonicalJson({ view: sessionViewSchemas(), fields: VIEW_FIELDS }))
    .digest('hex')
    .slice(0, 16),
};

/** True when `stamp` (null for a generation created before stamps) is this build's. */
export function isCurrentStamp(stamp: ViewStamp | null): boolean {
  return (
    stamp !== null && stamp.foldVersion === CURRENT_STAMP.foldVersion && stamp.shape === CURRENT_STAMP.shape
  );
}

/** The operator's way out of a stamp mismatch, named in every message about one. */
export const REBUILD_COMMAND = 'npm run cli -- rebuild';

export enum ViewGenerationErrorCode {
  RebuildRequired = 'rebuild_required',
  Retired = 'generation_retired',
}

/** The active generation was built by another fold or shape: nothing may be written into it. */
export class RebuildRequiredError extends Error {
  readonly code = ViewGenerationErrorCode.RebuildRequired;

  constructor(
    readonly generation: string,
    readonly stamp: ViewStamp | null,
  ) {
    const built =
      stamp === null
        ? 'carries no stamp (it predates stamped generations)'
        : `was built by fold version ${stamp.foldVersion} with shape ${stamp.shape}`;
    super(
      `rebuild required: view generation ${generation} ${built}, this build folds version ` +
        `${CURRENT_STAMP.foldVersion} with shape ${CURRENT_STAMP.shape}; run \`${REBUILD_COMMAND}\``,
    );
    this.name = RebuildRequiredError.name;
  }
}

/**
 * A write into a generation that a switch has retired: refused, so that no batch lands in the old generation after
 * the switch. The writer re-reads the pointer and applies its batch to the active generation.
 */
export class GenerationRetiredError extends Error {
  readonly code = ViewGenerationErrorCode.Retired;

  constructor(readonly generation: string) {
    super(`view generation ${generation} is retired: re-read the active generation and write there`);
    this.name = GenerationRetiredError.name;
  }
}
