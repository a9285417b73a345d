import { AppliedPositions, LogPosition } from '@app/ports';
import { Collection, Db } from 'mongodb';

export const APPLIED_POSITIONS_COLLECTION = 'projection_positions';

/** One document per partition of the events topic: the offset just past the last record the projector applied. */
interface AppliedPositionDocument {
  _id: number;
  next: number;
}

/**
 * The production projector's applied positions, beside the views in MongoDB with the same write concern: the
 * projector records a batch's partitions after its views, changes and dead letters are written and before it
 * commits the offsets, so a query API reading a position finds its views. `$max` keeps a partition from moving back
 * when a member that lost the partition finishes a batch late.
 */
export class MongoAppliedPositions extends AppliedPositions {
  private readonly collection: Collection<AppliedPositionDocument>;

  constructor(db: Db) {
    super();
    this.collection = db.collection<AppliedPositionDocument>(APPLIED_POSITIONS_COLLECTION);
  }

  async read(): Promise<LogPosition> {
    const documents = await this.collection.find({}).toArray();
    return new Map(documents.map(({ _id, next }) => [_id, next]));
  }

  async record(position: LogPosition): Promise<void> {
    if (position.size === 0) return;
    await this.collection.bulkWrite(
      [...position].map(([partition, next]) => ({
        updateOne: { filter: { _id: partition }, update: { $max: { next } }, upsert: true },
      })),
      { ordered: false },
    );
    this.announce();
  }
}
