import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import { eventRulesFingerprint } from './event-rules-fingerprint';
import * as limits from './limits';
import { sessionEventSchemas } from './session-event-schema';
import { CURRENT_SCHEMA_VERSION } from './upcast';

describe('eventRulesFingerprint', () => {
  const of = (rules: unknown) => createHash('sha256').update(canonicalJson(rules)).digest('hex').slice(0, 32);
  const current = { schemas: sessionEventSchemas(), version: CURRENT_SCHEMA_VERSION, limits };

  it('is the same on every call', () => {
    expect(eventRulesFingerprint()).toMatch(/^[0-9a-f]{32}$/);
    expect(eventRulesFingerprint()).toBe(eventRulesFingerprint());
    expect(eventRulesFingerprint()).toBe(of(current));
  });

  it('changes with a field rule, the upcast version or a limit', () => {
    const schemas = sessionEventSchemas();
    const [name, schema] = Object.entries(schemas)[0];
    expect(of({ ...current, schemas: { ...schemas, [name]: { ...schema, minProperties: 1 } } })).not.toBe(
      eventRulesFingerprint(),
    );
    expect(of({ ...current, version: CURRENT_SCHEMA_VERSION + 1 })).not.toBe(eventRulesFingerprint());
    expect(of({ ...current, limits: { ...limits, MAX_EVENT_DEPTH: 31 } })).not.toBe(eventRulesFingerprint());
  });
});
