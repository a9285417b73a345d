import { KafkaError, KafkaErrorCode } from '@app/kafka-log';
import { decodePosition, encodePosition } from './change-feed-position';

describe('change-feed positions', () => {
  it('round-trips every partition, ordered by partition, with offsets past 2^53', () => {
    const offsets = new Map([
      [2, 7n],
      [0, 12n],
      [1, 9007199254740993n],
    ]);
    const position = encodePosition(offsets);
    expect(position).toBe('0:12,1:9007199254740993,2:7');
    expect(decodePosition(position)).toEqual(offsets);
  });

  it.each(['', 'abc', '0:', ':5', '0:1,', '0:1;1:2', '-1:3', '0:-3', '0:1.5'])(
    'rejects %j as an invalid position',
    (position) => {
      expect(() => decodePosition(position)).toThrow(KafkaError);
      expect(() => decodePosition(position)).toThrow(
        expect.objectContaining({ code: KafkaErrorCode.InvalidPosition }),
      );
    },
  );

  it('rejects a position that names a partition twice', () => {
    expect(() => decodePosition('0:1,0:2')).toThrow(/names partition 0 twice/);
  });
});
