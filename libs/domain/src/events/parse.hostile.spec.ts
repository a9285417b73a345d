import fc from 'fast-check';
import { sessionEvents } from '../../../../test/factories/session-events';
import { MAX_EVENT_DEPTH, MAX_EVENT_VALUES, MAX_FIELD_ERRORS, MAX_FREEFORM_DEPTH } from './limits';
import { parseSessionEvent, parseSessionEventJson, ParseResult } from './parse';
import { SESSION_EVENT_DATA_DTOS } from './session-event-data.dto';
import { SESSION_EVENT_TYPES, SessionEventType } from './session-event';

// Inputs a hostile or broken client sends. Each answer is a refusal with a field path, never an exception: an
// exception is a 500 at ingest and a batch redelivered forever by the projector.

/** A JSON object seen as objects all the way down, so the tests can reach into it without casts. */
type Loose = { [key: string]: Loose };

const created = JSON.parse(JSON.stringify(sessionEvents().created().last)) as Loose;
const appended = JSON.parse(
  JSON.stringify(
    sessionEvents()
      .created()
      .contextAppended([{ metadata: { note: 'x' } }]).last,
  ),
) as Loose;

function pathsOf(result: ParseResult): string[] {
  if (result.ok) throw new Error('expected the event to be refused');
  return result.errors.map((error) => error.path);
}

function nestedArrays(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

describe('parseSessionEvent on hostile input', () => {
  it.each([2 ** 53, 2 ** 53 + 1, 1e300, Number.MAX_VALUE])('refuses seq %p, beyond a safe integer', (seq) => {
    expect(pathsOf(parseSessionEvent({ ...created, seq }))).toEqual(['seq']);
  });

  it('accepts the largest safe seq', () => {
    expect(parseSessionEvent({ ...created, seq: Number.MAX_SAFE_INTEGER }).ok).toBe(true);
  });

  it('refuses an integer in data beyond a safe integer', () => {
    const event = JSON.parse(JSON.stringify(sessionEvents().created().stateUpdated({ cur_iter: 3 }).last));
    event.data.cur_iter = 1e300;

    expect(pathsOf(parseSessionEvent(event))).toEqual(['data.cur_iter']);
  });

  it.each([
    [
      'data',
      (levels: number) => JSON.stringify(created).replace('"data":{', `"data":{"x":${nestedArrays(levels)},`),
    ],
    [
      'the envelope',
      (levels: number) => JSON.stringify(created).replace('"seq":', `"x":${nestedArrays(levels)},"seq":`),
    ],
    [
      'a free-form object',
      (levels: number) =>
        JSON.stringify(appended).replace(
          '"metadata":{',
          `"metadata":{"x":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)},`,
        ),
    ],
  ])('refuses JSON nested 100,000 levels deep in %s without exhausting the stack', (_where, build) => {
    const result = parseSessionEventJson(build(100_000));

    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0].message).toMatch(/nested deeper than/);
  });

  it('accepts the deepest shape an event carries, a team member agent’s summary schema at its own limit', () => {
    const event = JSON.parse(JSON.stringify(sessionEvents().created().teamUpdated().last)) as Loose;
    let schema: Loose = {};
    for (let level = 1; level < MAX_FREEFORM_DEPTH; level += 1) schema = { next: schema };
    event.data.team.members[0].agent.data.context_config.summary_schema = schema;

    expect(parseSessionEvent(event).ok).toBe(true);
  });

  it(`refuses nesting past ${MAX_EVENT_DEPTH} levels at its path`, () => {
    const result = parseSessionEventJson(
      JSON.stringify(created).replace('"data":{', `"data":{"x":${nestedArrays(MAX_EVENT_DEPTH)},`),
    );

    expect(pathsOf(result)).toEqual([`data.x${'[0]'.repeat(MAX_EVENT_DEPTH - 2)}`]);
  });

  it.each([
    ['in the envelope', { ...created, constructor: 1 }, 'constructor'],
    ['in data', { ...created, data: { ...created.data, constructor: 1 } }, 'data.constructor'],
    [
      'in nested data',
      { ...created, data: { ...created.data, config: { ...created.data.config, constructor: { a: 1 } } } },
      'data.config.constructor',
    ],
  ])('refuses a constructor key %s as unknown', (_where, event, path) => {
    expect(pathsOf(parseSessionEvent(event))).toEqual([path]);
  });

  it('accepts a constructor key inside a free-form object, whose keys are the emitter’s', () => {
    const event = {
      ...appended,
      data: { items: [{ ...appended.data.items[0], metadata: { constructor: 'x' } }] },
    };

    expect(parseSessionEvent(event).ok).toBe(true);
  });

  it.each([
    ['data', JSON.stringify(created).replace('"data":{', '"data":{"__proto__":{"x":1},'), 'data'],
    ['the envelope', JSON.stringify(created).replace('"seq":', '"__proto__":{},"seq":'), ''],
    [
      'a free-form object',
      JSON.stringify(appended).replace('"metadata":{', '"metadata":{"__proto__":1,'),
      'data.items[0].metadata',
    ],
  ])('refuses a __proto__ key in %s', (_where, json, path) => {
    expect(pathsOf(parseSessionEventJson(json))).toEqual([path]);
  });

  it.each([
    ['session_id', { ...created, session_id: 'session-\ud800' }, 'session_id'],
    [
      'a name',
      { ...created, data: { ...created.data, config: { ...created.data.config, name: '\udc00x' } } },
      'data.config.name',
    ],
    [
      'a free-form value',
      {
        ...appended,
        data: { items: [{ ...appended.data.items[0], metadata: { note: ['ok', 'a\ud83d'] } }] },
      },
      'data.items[0].metadata.note[1]',
    ],
    [
      'a free-form key',
      { ...appended, data: { items: [{ ...appended.data.items[0], metadata: { ['\ud83d']: 1 } }] } },
      'data.items[0].metadata',
    ],
  ])('refuses a lone surrogate in %s', (_where, event, path) => {
    expect(pathsOf(parseSessionEvent(event))).toEqual([path]);
  });

  it('accepts characters outside the Basic Multilingual Plane, which are surrogate pairs', () => {
    expect(parseSessionEvent({ ...created, session_id: 'session-😀' }).ok).toBe(true);
  });

  it('refuses bytes that are not UTF-8 instead of replacing them', () => {
    const bytes = Buffer.concat([
      Buffer.from(JSON.stringify(created).slice(0, -1)),
      Buffer.from([0xff, 0x7d]),
    ]);

    expect(pathsOf(parseSessionEventJson(bytes))).toEqual(['']);
  });

  it(`refuses an event of more than ${MAX_EVENT_VALUES} values with one error`, () => {
    const huge = { ...created, data: { ...created.data, x: new Array(MAX_EVENT_VALUES).fill(0) } };

    expect(pathsOf(parseSessionEvent(huge))).toEqual(['']);
  });

  it(`lists at most ${MAX_FIELD_ERRORS} errors`, () => {
    const items = new Array(MAX_FIELD_ERRORS * 3).fill('not an item');
    const result = parseSessionEvent({ ...appended, data: { items } });

    expect(pathsOf(result)).toHaveLength(MAX_FIELD_ERRORS);
  });

  it('answers every JSON value, as an event or in place of any part of one, without throwing', () => {
    const json = fc.jsonValue({ maxDepth: 6 });
    const keys = fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'data',
      'seq',
      'type',
      'items',
      'config',
    );
    fc.assert(
      fc.property(json, fc.array(fc.tuple(keys, json), { maxLength: 4 }), (value, extra) => {
        for (const input of [
          value,
          { ...created, ...Object.fromEntries(extra) },
          { ...created, data: value },
        ]) {
          const result = parseSessionEvent(input);
          expect(result.ok || result.errors.length > 0).toBe(true);
        }
        expect(() => parseSessionEventJson(JSON.stringify(value) ?? 'null')).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('answers arbitrary JavaScript values without throwing', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withMap: true }),
        (value) => {
          const result = parseSessionEvent({ ...created, data: value });
          expect(result.ok || result.errors.length > 0).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('event type registration', () => {
  it('derives the list of wire types and the union of shapes from one object', () => {
    expect(SESSION_EVENT_TYPES).toEqual(Object.keys(SESSION_EVENT_DATA_DTOS));
    // @ts-expect-error a type that is not registered is no event type, so no list or union can hold it
    const unregistered: SessionEventType = 'session.renamed';
    expect(SESSION_EVENT_TYPES).not.toContain(unregistered);
  });
});
