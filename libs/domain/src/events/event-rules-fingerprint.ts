import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import * as limits from './limits';
import { sessionEventSchemas } from './session-event-schema';
import { CURRENT_SCHEMA_VERSION } from './upcast';

let fingerprint: string | undefined;

/**
 * Names the rules parseSessionEvent accepts an event by: the JSON Schema generated from the DTOs, the schema version
 * events are upcast to, and the input limits. A store that records it beside an event it kept after parsing can tell
 * later whether the event still needs checking: the same fingerprint means the same rules accepted it, and a build
 * that changes any of them (a new field rule, a new upcast, a tighter limit) reads as another.
 */
export function eventRulesFingerprint(): string {
  fingerprint ??= createHash('sha256')
    .update(canonicalJson({ schemas: sessionEventSchemas(), version: CURRENT_SCHEMA_VERSION, limits }))
    .digest('hex')
    .slice(0, 32);
  return fingerprint;
}
