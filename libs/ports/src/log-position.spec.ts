import fc from 'fast-check';
import {
  covers,
  formatPositionToken,
  InvalidPositionTokenError,
  isPositionToken,
  LogPosition,
  MAX_POSITION_TOKEN_LENGTH,
  mergePositions,
  parsePositionToken,
  positionAfter,
  recordsBetween,
} from './log-position';

const at = (entries: [number, number][]): LogPosition => new Map(entries);
const positions = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 9_999 }), fc.maxSafeNat()), {
    minLength: 1,
    maxLength: 12,
    selector: ([partition]) => partition,
  })
  .map((entries) => new Map(entries) as LogPosition);

describe('log positions', () => {
  it('reads back every token it writes, partitions ascending', () => {
    fc.assert(
      fc.property(positions, (position) => {
        const token = formatPositionToken(position);
        expect(token).toMatch(/^\d+:\d+(,\d+:\d+)*$/);
        expect(parsePositionToken(token)).toEqual(new Map([...position].sort(([a], [b]) => a - b)));
      }),
    );
    expect(
      formatPositionToken(
        at([
          [3, 99],
          [0, 1234],
        ]),
      ),
    ).toBe('0:1234,3:99');
  });

  it.each([
    ['', 'it is empty'],
    ['abc', '"abc" is not <partition>:<offset>'],
    ['0:1,', '"" is not <partition>:<offset>'],
    ['1:5,0:3', 'partitions must be ascending and named once'],
    ['0:1,0:2', 'partitions must be ascending and named once'],
    ['10000:1', 'partition 10000 does not exist'],
    ['0:9999999999999999', 'offset 9999999999999999 is too large'],
    ['-1:3', '"-1:3" is not <partition>:<offset>'],
    [' 0:3', '" 0:3" is not <partition>:<offset>'],
    [
      '0:3'.padEnd(MAX_POSITION_TOKEN_LENGTH + 1, '0'),
      `it is longer than ${MAX_POSITION_TOKEN_LENGTH} characters`,
    ],
  ])('refuses %j: %s', (token, reason) => {
    expect(() => parsePositionToken(token)).toThrow(new InvalidPositionTokenError(token, reason));
    expect(isPositionToken(token)).toBe(false);
  });

  it('covers a position when at least as far on every partition it names', () => {
    expect(
      covers(
        at([
          [0, 5],
          [1, 2],
        ]),
        at([[0, 5]]),
      ),
    ).toBe(true);
    expect(covers(at([[0, 5]]), at([[0, 6]]))).toBe(false);
    expect(covers(at([[0, 5]]), at([[1, 1]]))).toBe(false);
    fc.assert(
      fc.property(positions, positions, (a, b) => {
        const merged = mergePositions(a, b);
        expect(covers(merged, a) && covers(merged, b)).toBe(true);
        expect(covers(a, a)).toBe(true);
      }),
    );
  });

  it('counts the records between two positions over every partition', () => {
    expect(
      recordsBetween(
        at([[0, 5]]),
        at([
          [0, 8],
          [1, 2],
        ]),
      ),
    ).toBe(5);
    expect(recordsBetween(at([[0, 9]]), at([[0, 8]]))).toBe(0);
  });

  it('places records just past their offsets; the embedded log names no partition and is 0', () => {
    const records = [
      { source: { topic: 't', partition: 2, offset: '7' } },
      { source: { topic: 't', partition: 2, offset: '5' } },
      { source: { topic: 't', partition: 0, offset: '0' } },
    ];
    expect(positionAfter(records)).toEqual(
      at([
        [2, 8],
        [0, 1],
      ]),
    );
    expect(positionAfter([{ source: { topic: 'events', offset: '41' } }])).toEqual(at([[0, 42]]));
  });
});
