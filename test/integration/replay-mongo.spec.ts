import { MongoEventArchive, MongoViewGenerations } from '@app/mongo';
import { replayBehaviour } from '../contracts/replay.behaviour';
import { mongoTargets } from '../support/infra';
import { mongoSuite } from '../support/mongo-suite';

describe.each(mongoTargets())('on $name', (target) => {
  const mongo = mongoSuite(target);

  replayBehaviour(target.name, async () => {
    const db = mongo.newDatabase('replay');
    return {
      archive: await MongoEventArchive.open(db),
      generations: new MongoViewGenerations(db),
      cleanup: async () => {
        await db.dropDatabase();
      },
    };
  });
});
