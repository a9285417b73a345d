import { AppConfig } from '@app/config';
import { SessionProjection } from '@app/domain';
import { SessionEmitter } from '@app/emitter';
import { EventArchive, ViewGenerations } from '@app/ports';
import { INestApplicationContext } from '@nestjs/common';
import { ProjectorProcess, startProjectorProcess } from '../../test/support/app-process';
import { dropProjectorResources, deadLetters, openStores } from '../../test/support/projector';
import { testKafkaClient, uniqueProductionConfig, uniqueProductionEnv } from '../../test/support/kafka';
import { uniqueName } from '../../test/support/infra';
import { SdkLoad } from './load';
import { PrivateFerretDb } from './store';
import { PrivateKafka } from './broker';
import { compareViews, expectedViews, Figures, lostOf, sleep, until } from './tally';

/** The consumer's session timeout (libs/kafka); a member frozen longer than this loses its partitions. */
const SESSION_TIMEOUT_MS = 10_000;
/** Bounds the wait for the projector to catch up after the faults; only there to end a hang. */
const CATCH_UP_BOUND_MS = 180_000;

interface Run {
  config: AppConfig;
  env: Record<string, string>;
  stores: INestApplicationContext;
  emitter: SessionEmitter;
  load: SdkLoad;
  readerErrors: number;
  stopReader: () => Promise<void>;
}

async function views(
  stores: INestApplicationContext,
  ids: string[],
): Promise<Map<string, SessionProjection>> {
  const generations = stores.get(ViewGenerations);
  return generations.store(await generations.active()).getMany(ids);
}

function step(message: string): void {
  console.log(`[faults] ${new Date().toISOString().slice(11, 19)} ${message}`);
}

async function begin(
  mongoUri: string,
  poisonRate = 0,
  brokers?: string,
): Promise<Run & { first: ProjectorProcess }> {
  const env = uniqueProductionEnv(mongoUri, brokers ? { KAFKA_BROKERS: brokers } : {});
  const config = uniqueProductionConfig(mongoUri, env);
  // The projector creates the topics on start; the load begins once it is ready.
  const first = await startProjectorProcess(env);
  step('projector ready');
  const stores = await openStores(config);
  step('stores open');
  const emitter = new SessionEmitter({
    brokers: config.kafka!.brokers,
    topic: config.kafka!.eventsTopic,
    clientId: uniqueName('faults'),
  });
  await emitter.connect();
  const producer = testKafkaClient().producer();
  await producer.connect();
  const load = new SdkLoad(
    emitter,
    { workers: 4, poisonRate },
    { producer, topic: config.kafka!.eventsTopic },
  );
  load.start();
  step('load started');
  const run = { config, env, stores, emitter, load, readerErrors: 0, first } as Run & {
    first: ProjectorProcess;
  };
  let reading = true;
  const reader = (async () => {
    while (reading) {
      await views(stores, load.sessions.slice(-20)).catch(() => (run.readerErrors += 1));
      await sleep(300);
    }
  })();
  run.stopReader = async () => {
    reading = false;
    await reader;
    await producer.disconnect();
  };
  return run;
}

/** Stops the load, waits for the running projector(s) to catch up, and counts. */
async function finish(run: Run, scenario: string, notes: string): Promise<Figures> {
  await run.load.stop();
  await run.stopReader();
  step(`load stopped at ${run.load.acknowledged.length} acknowledged; waiting for the projector`);
  await run.emitter.disconnect();
  const expected = expectedViews(run.load.acknowledged);
  const ids = [...expected.keys()];
  await until(
    async () => compareViews(expected, await views(run.stores, ids)).diverged === 0,
    CATCH_UP_BOUND_MS,
  );
  const archive = run.stores.get(EventArchive);
  const archivedIds = new Set<string>();
  for (const id of ids) {
    for (const event of await archive.history(id, { limit: 100_000 })) archivedIds.add(event.event_id);
  }
  const acknowledged = run.load.acknowledged;
  const compared = compareViews(expected, await views(run.stores, ids));
  const lost = lostOf(acknowledged, archivedIds);
  const poison =
    run.load.poisonSent > 0
      ? `, poison ${run.load.poisonSent} sent / ${(await deadLetters(run.config)).length} dead-lettered`
      : '';
  return {
    scenario,
    acknowledged: acknowledged.length,
    archived: acknowledged.length - lost,
    lost,
    appliedTwice: compared.appliedTwice,
    diverged: compared.diverged,
    readerErrors: run.readerErrors,
    notes: `${notes}${poison}, ${run.load.sendFailures} resends`,
  };
}

async function cleanup(run: Run, projectors: ProjectorProcess[]): Promise<void> {
  await Promise.all(projectors.map((projector) => projector.stop('SIGTERM')));
  await run.stores.close();
  await dropProjectorResources(run.config);
}

export async function projectorKills(mongoUri: string, kills: number): Promise<Figures> {
  const run = await begin(mongoUri);
  let projector = run.first;
  for (let kill = 0; kill < kills; kill += 1) {
    await sleep(1000 + Math.random() * 2000);
    await projector.stop('SIGKILL');
    projector = await startProjectorProcess(run.env);
    step(`SIGKILL ${kill + 1}/${kills}, restarted; ${run.load.acknowledged.length} acknowledged`);
  }
  const figures = await finish(run, 'projector SIGKILL', `${kills} SIGKILLs`);
  await cleanup(run, [projector]);
  return figures;
}

export async function projectorFrozen(mongoUri: string): Promise<Figures> {
  const run = await begin(mongoUri);
  const second = await startProjectorProcess(run.env);
  await sleep(3000);
  run.first.child.kill('SIGSTOP');
  await sleep(SESSION_TIMEOUT_MS + 5000);
  run.first.child.kill('SIGCONT');
  await sleep(5000);
  const figures = await finish(
    run,
    'projector SIGSTOP',
    `two members, one frozen ${(SESSION_TIMEOUT_MS + 5000) / 1000} s`,
  );
  await cleanup(run, [run.first, second]);
  return figures;
}

export async function poison(mongoUri: string, durationMs: number): Promise<Figures> {
  const run = await begin(mongoUri, 0.01);
  await sleep(durationMs);
  const figures = await finish(run, 'poison 1%', `${durationMs / 1000} s of load`);
  await cleanup(run, [run.first]);
  return figures;
}

/** The store SIGKILLed and restarted under load (a FerretDB of the suite's own, which persists what it acknowledged). */
export async function storeKills(kills: number): Promise<Figures> {
  const store = await PrivateFerretDb.start();
  try {
    const run = await begin(store.uri);
    for (let kill = 0; kill < kills; kill += 1) {
      await sleep(3000 + Math.random() * 2000);
      await store.stop('SIGKILL');
      await sleep(2000);
      await store.restart();
      step(`store SIGKILL ${kill + 1}/${kills}, restarted; ${run.load.acknowledged.length} acknowledged`);
    }
    const figures = await finish(run, 'store SIGKILL', `${kills} SIGKILLs of FerretDB, each down 2 s`);
    await cleanup(run, [run.first]);
    return figures;
  } finally {
    await store.remove();
  }
}

/** The broker SIGKILLed and restarted under load (a broker of the suite's own, restarted on its log). */
export async function brokerKills(mongoUri: string, kills: number): Promise<Figures> {
  const broker = await PrivateKafka.start();
  try {
    const run = await begin(mongoUri, 0, broker.brokers);
    for (let kill = 0; kill < kills; kill += 1) {
      await sleep(4000 + Math.random() * 2000);
      await broker.stop('SIGKILL');
      await sleep(3000);
      await broker.restart();
      step(`broker SIGKILL ${kill + 1}/${kills}, restarted; ${run.load.acknowledged.length} acknowledged`);
    }
    const figures = await finish(
      run,
      'broker SIGKILL',
      `${kills} SIGKILLs of the broker, each down 3 s and a restart`,
    );
    await cleanup(run, [run.first]);
    return figures;
  } finally {
    await broker.remove();
  }
}
