/**
 * A change-feed position is the offset to read next in every partition of the changes topic, written
 * "0:13,1:40". Each change carries the whole vector, so resuming after any change covers every partition.
 */
export type PartitionOffsets = Map<number, bigint>;

const POSITION_PATTERN = /^\d{1,9}:\d{1,19}(,\d{1,9}:\d{1,19})*$/;

export function encodePosition(offsets: ReadonlyMap<number, bigint>): string {
  return [...offsets]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => `${partition}:${offset}`)
    .join(',');
}

export function decodePosition(position: string): PartitionOffsets {
  if (!POSITION_PATTERN.test(position)) {
    throw new KafkaError(
      KafkaErrorCode.InvalidPosition,
      `change-feed position ${JSON.stringify(position)} is not of the form "partition:offset,..."`,
    );
  }
  const offsets: PartitionOffsets = new Map();
  for (const entry of position.split(',')) {
    const [partition, offset] = entry.split(':');
    if (offsets.has(Number(partition))) {
      throw new KafkaError(
        KafkaErrorCode.InvalidPosition,
        `change-feed position ${JSON.stringify(position)} names partition ${partition} twice`,
      );
    }
    offsets.set(Number(partition), BigInt(offset));
  }
  return offsets;
}
import { KafkaError, KafkaErrorCode } from '@app/kafka-log';
