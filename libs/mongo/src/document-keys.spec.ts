import fc from 'fast-check';
import { escapeDocumentKeys, escapeKey, unescapeDocumentKeys, unescapeKey } from './document-keys';

/** Keys drawn mostly from the characters the escape is about, so collisions would show. */
const awkwardKey = fc.string({
  unit: fc.constantFrom('.', '$', '%', '2', 'E', '4', '5', '0', '\0', 'a', '_', '_proto_'),
  maxLength: 8,
});

const document = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(awkwardKey, fc.string()), tie('value'), { maxKeys: 5 }),
  ),
})).value;

function everyKey(value: unknown, visit: (key: string) => void): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    if (!Array.isArray(value)) visit(key);
    everyKey(item, visit);
  }
}

describe('document keys', () => {
  it('round-trips any JSON document', () => {
    fc.assert(
      fc.property(document, (value) => {
        expect(unescapeDocumentKeys(escapeDocumentKeys(value))).toEqual(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any JSON document with nested arrays wrapped, leaving no array directly in an array', () => {
    const noNestedArray = (value: unknown, insideArray: boolean): void => {
      if (value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        expect(insideArray).toBe(false);
        value.forEach((item) => noNestedArray(item, true));
      } else Object.values(value).forEach((item) => noNestedArray(item, false));
    };
    fc.assert(
      fc.property(document, (value) => {
        const escaped = escapeDocumentKeys(value, { wrapNestedArrays: true });
        noNestedArray(escaped, false);
        expect(unescapeDocumentKeys(escaped)).toEqual(value);
      }),
      { numRuns: 2000 },
    );
    expect(escapeDocumentKeys({ m: [[1], []] }, { wrapNestedArrays: true })).toEqual({
      m: [{ '%[]': [1] }, { '%[]': [] }],
    });
  });

  it('leaves no key MongoDB refuses', () => {
    fc.assert(
      fc.property(document, (value) => {
        everyKey(escapeDocumentKeys(value), (key) => {
          expect(key).not.toMatch(/[.\0]|^\$/);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('never maps two keys to one', () => {
    fc.assert(
      fc.property(awkwardKey, awkwardKey, (a, b) => {
        fc.pre(a !== b);
        expect(escapeKey(a)).not.toBe(escapeKey(b));
        expect(unescapeKey(escapeKey(a))).toBe(a);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['trace.id', 'trace%2Eid'],
    ['$ref', '%24ref'],
    ['a$b', 'a$b'],
    ['100%', '100%25'],
    ['%2E', '%252E'],
    ['$.', '%24%2E'],
  ])('escapes %j as %j', (key, escaped) => {
    expect(escapeKey(key)).toBe(escaped);
  });

  it('touches values, arrays of arrays and plain keys not at all', () => {
    const value = { 'a.b': 'x.y', $c: ['$d', [['e.f']]], plain: { kept: true } };
    const escaped = escapeDocumentKeys(value);
    expect(escaped).toEqual({ 'a%2Eb': 'x.y', '%24c': ['$d', [['e.f']]], plain: { kept: true } });
    expect((escaped as typeof value).plain).toBe(value.plain);
    const untouched = { a: [1, { b: 2 }] };
    expect(escapeDocumentKeys(untouched)).toBe(untouched);
  });

  it('keeps a "__proto__" key an own key through the round trip', () => {
    const value = JSON.parse('{"__proto__": {"x.y": 1}, "a.b": 2}') as object;
    const back = unescapeDocumentKeys(escapeDocumentKeys(value));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'a.b']);
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
  });
});
