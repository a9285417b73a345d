import { AppConfig, loadConfig } from '@app/config';
import {
  MongoEventArchive,
  MongoHealth,
  MongoModule,
  MongoStoreErrorCode,
  MongoViewGenerations,
} from '@app/mongo';
import { EventArchive, ViewGenerations } from '@app/ports';
import { DynamicModule, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Db, MongoClient, MongoNotConnectedError } from 'mongodb';
import { uniqueSessionId } from '../contracts/contract-support';
import { sessionEvents } from '../factories/session-events';
import { mongoTargets, uniqueName } from '../support/infra';

@Module({})
class TestConfigModule {
  static with(config: AppConfig): DynamicModule {
    return {
      module: TestConfigModule,
      global: true,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

function compile(config: AppConfig) {
  return Test.createTestingModule({
    imports: [TestConfigModule.with(config), MongoModule.forRoot()],
  }).compile();
}

describe.each(mongoTargets())('MongoModule on $name', ({ uri }) => {
  const database = uniqueName('module');
  const productionConfig = loadConfig({
    KAFKA_BROKERS: '127.0.0.1:9',
    MONGODB_URI: uri,
    MONGODB_DATABASE: database,
  });

  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('provides the archive with its indexes, the generations and a health ping, and closes its client', async () => {
    const app = await compile(productionConfig);
    await app.init();
    expect(app.get(EventArchive)).toBeInstanceOf(MongoEventArchive);
    expect(app.get(ViewGenerations)).toBeInstanceOf(MongoViewGenerations);
    const health = app.get(MongoHealth);
    await expect(health.ping()).resolves.toBeUndefined();
    const indexes = await app
      .get(MongoClient)
      .db(database)
      .collection('session_events')
      .listIndexes()
      .toArray();
    expect(indexes.map(({ name }) => name)).toEqual(expect.arrayContaining(['session_seq', 'archived_at']));

    await app.close();

    await expect(health.ping()).rejects.toThrow(MongoNotConnectedError);
  });

  it('writes with w: "majority" and the journal by default, or as MONGODB_WRITE_CONCERN and MONGODB_JOURNAL say', async () => {
    const durable = await compile(productionConfig);
    const fast = await compile(
      loadConfig({
        KAFKA_BROKERS: '127.0.0.1:9',
        MONGODB_URI: uri,
        MONGODB_DATABASE: database,
        MONGODB_WRITE_CONCERN: '1',
        MONGODB_JOURNAL: 'false',
      }),
    );
    try {
      // The Db's write concern is what the driver attaches to every write the archive, views and generations send.
      expect(durable.get(Db).writeConcern).toMatchObject({ w: 'majority', journal: true });
      expect(fast.get(Db).writeConcern).toMatchObject({ w: 1, journal: false });
      const events = sessionEvents(uniqueSessionId()).created().runStarted().events;
      expect(await durable.get(EventArchive).append(events)).toMatchObject({ stored: 2 });
      expect(await fast.get(EventArchive).append(events)).toMatchObject({ duplicates: 2 });
    } finally {
      await durable.close();
      await fast.close();
    }
  });

  it('refuses to start without MONGODB_URI', async () => {
    await expect(compile(loadConfig({}))).rejects.toThrow(
      expect.objectContaining({ code: MongoStoreErrorCode.NotConfigured }),
    );
  });
});
