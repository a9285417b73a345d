import { FOLD_VERSION } from '@app/domain';
import { MongoEventArchive, MongoViewGenerations } from '@app/mongo';
import { replayBehaviour } from '../contracts/replay.behaviour';
import { mongoTargets } from '../support/infra';
import { mongoSuite } from '../support/mongo-suite';

describe.each(mongoTargets())('on $name', (target) => {
  const mongo = mongoSuite(target);

  replayBehaviour(target.name, async () => {
    const db = mongo.newDatabase('replay');
    const generations = new MongoViewGenerations(db);
    return {
      archive: await MongoEventArchive.open(db),
      generations,
      markActiveGenerationStale: async () => {
        const active = await generations.active();
        await db
          .collection<{ _id: string }>('view_generations')
          .updateOne({ _id: active }, { $set: { fold_version: FOLD_VERSION - 1 } });
        return active;
      },
      cleanup: async () => {
        await db.dropDatabase();
      },
    };
  });
});
