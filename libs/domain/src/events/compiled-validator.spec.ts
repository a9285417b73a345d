import fc from 'fast-check';
import { dateTime, oddString, schemaArbitrary } from '../../../../test/support/schema-arbitrary';
import { compiledEventAcceptor } from './compiled-validator';
import { guardEventInput } from './input-guard';
import { MAX_ID_LENGTH, MAX_PATH_LENGTH, MAX_TEXT_BYTES } from './limits';
import { sessionEventDtoErrors } from './parse';
import { SESSION_EVENT_TYPES } from './session-event';
import {
  SESSION_EVENT_ENVELOPE_SCHEMA,
  sessionEventDataSchemaName,
  sessionEventSchemas,
} from './session-event-schema';
import { CURRENT_SCHEMA_VERSION, upcastSessionEvent } from './upcast';

// The compiled validator accepts events on its own, so it must never accept what the DTOs refuse; and since a
// refusal costs the slow path, it should refuse only what they refuse. This checks both on events generated
// from the schemas and on mutations of them. DIFFERENTIAL_RUNS sets how many of each (the default keeps the unit
// run short; `DIFFERENTIAL_RUNS=50000 npx jest compiled-validator --selectProjects unit` runs 100,000 in all).

const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 5_000);

const schemas = sessionEventSchemas();
const accept = compiledEventAcceptor();

const validEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    schemaArbitrary(schemas, SESSION_EVENT_ENVELOPE_SCHEMA) as fc.Arbitrary<Record<string, unknown>>,
    fc
      .constantFrom(...SESSION_EVENT_TYPES)
      .chain((type) =>
        schemaArbitrary(schemas, sessionEventDataSchemaName(type)).map((data) => ({ type, data })),
      ),
  )
  .map(([envelope, typed]) => ({ ...envelope, ...typed, schema_version: CURRENT_SCHEMA_VERSION }));

const LONG_TEXT = 'é'.repeat(MAX_TEXT_BYTES / 2 + 1);

/** Values that break a limit or a type somewhere: each is valid in some field and invalid in most. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1.5,
    -0,
    2 ** 53,
    2 ** 53 + 2,
    1e300,
    Number.MAX_SAFE_INTEGER,
    '',
    ' ',
    [],
    {},
    'x'.repeat(MAX_ID_LENGTH),
    'x'.repeat(MAX_ID_LENGTH + 1),
    '😀'.repeat(MAX_ID_LENGTH),
    '😀'.repeat(MAX_ID_LENGTH + 1),
    '❤️'.repeat(MAX_ID_LENGTH / 2 + 1),
    'x'.repeat(MAX_PATH_LENGTH + 1),
    LONG_TEXT,
    '2025-03-11T09:30+0100',
    '2025-03-11 09:30:00Z',
    '2025-02-29T09:30:00Z',
    '00000000-0000-0000-0000-000000000000',
    '1ae33a24-2915-0285-895c-fc41ad16c3be',
    'session.renamed',
    'schedule',
  ),
  oddString(20),
  dateTime,
  fc.uuid(),
);

type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'wrap'; inArray: boolean }
  | { kind: 'deepen'; levels: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: hostileValue.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('constructor', 'extra', 'toString', '', 'data', 'id'), hostileValue)
      .map(([key, value]) => ({ kind: 'add' as const, key, value })),
  },
  { weight: 1, arbitrary: fc.boolean().map((inArray) => ({ kind: 'wrap' as const, inArray })) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 12 }).map((levels) => ({ kind: 'deepen' as const, levels })),
  },
);

/** Every place in `value` a mutation can hit: its root and each (container, key) pair below it. */
function places(value: unknown): [Record<string | number, unknown>, string | number][] {
  const found: [Record<string | number, unknown>, string | number][] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      found.push([node as Record<string | number, unknown>, key]);
      visit((node as Record<string | number, unknown>)[key]);
    }
  };
  visit(value);
  return found;
}

function mutate(event: Record<string, unknown>, pick: number, change: Mutation): Record<string, unknown> {
  const copy = structuredClone(event);
  const [container, key] = places(copy)[pick % places(copy).length];
  const current = container[key];
  switch (change.kind) {
    case 'replace':
      container[key] = change.value;
      break;
    case 'delete':
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key];
      break;
    case 'add':
      if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
        (current as Record<string, unknown>)[change.key] = change.value;
      } else {
        copy[change.key] = change.value;
      }
      break;
    case 'wrap':
      container[key] = change.inArray ? [current] : { value: current };
      break;
    case 'deepen': {
      let nested: unknown = current;
      for (let level = 0; level < change.levels; level += 1) nested = { a: nested };
      container[key] = nested;
      break;
    }
  }
  return copy;
}

interface Tally {
  accepted: number;
  refused: number;
  guarded: number;
}

/** Both validators' answer on what reaches them in parseSessionEvent: the upcast event past the guard. */
function expectAgreement(input: Record<string, unknown>, tally: Tally): void {
  const upcast = upcastSessionEvent(input);
  if (!upcast.ok || guardEventInput(upcast.event).length > 0) {
    tally.guarded += 1;
    return;
  }
  const dtosAccept = sessionEventDtoErrors(upcast.event).length === 0;
  if (accept(upcast.event) !== dtosAccept) {
    throw new Error(
      `the validators disagree (DTOs ${dtosAccept ? 'accept' : 'refuse'}): ${JSON.stringify(input)}`,
    );
  }
  if (dtosAccept) tally.accepted += 1;
  else tally.refused += 1;
}

describe('the compiled event validator against the DTOs', () => {
  it(`accepts every one of ${RUNS} events generated from the schemas, as the DTOs do`, () => {
    const tally: Tally = { accepted: 0, refused: 0, guarded: 0 };
    fc.assert(
      fc.property(validEvent, (event) => expectAgreement(event, tally)),
      { numRuns: RUNS },
    );

    expect(tally).toEqual({ accepted: RUNS, refused: 0, guarded: 0 });
  });

  it(`answers as the DTOs do on ${RUNS} mutations of them`, () => {
    const tally: Tally = { accepted: 0, refused: 0, guarded: 0 };
    fc.assert(
      fc.property(validEvent, fc.nat(), mutation, (event, pick, change) =>
        expectAgreement(mutate(event, pick, change), tally),
      ),
      { numRuns: RUNS },
    );

    // Both answers occur often enough for the agreement to mean something.
    expect(tally.accepted).toBeGreaterThan(RUNS / 50);
    expect(tally.refused).toBeGreaterThan(RUNS / 2);
  });
});
