import { MongoClient } from 'mongodb';
import { KAFKA_BROKERS_FOR_TESTS, MONGODB_TARGETS_FOR_TESTS, MongoTarget } from '../../test/support/infra';
import { localEndpoint } from '../../test/setup/local-servers';
import { testKafkaClient } from '../../test/support/kafka';

const NOT_RUNNING = 'start the development servers with `npm run infra:up` (see `npm run infra:status`)';
const PROBE_TIMEOUT_MS = 5000;

/**
 * Finds the servers as the integration tests' global setup does (KAFKA_BROKERS and MONGODB_URI, else the local
 * servers of scripts/infra) and publishes them where test/support reads them, so the benchmarks share its helpers.
 * Unlike the tests, a benchmark never starts servers: it measures servers someone else runs.
 */
export async function useServers(): Promise<MongoTarget[]> {
  const brokers = process.env.KAFKA_BROKERS?.trim() || (await recordedEndpoint('kafka'));
  const mongoUri = process.env.MONGODB_URI?.trim();
  const targets: MongoTarget[] = mongoUri
    ? [{ name: 'external', uri: mongoUri }]
    : [
        { name: 'mongo-java-server', uri: await recordedEndpoint('mongo-java-server') },
        { name: 'ferretdb', uri: await recordedEndpoint('ferretdb') },
      ];
  process.env[KAFKA_BROKERS_FOR_TESTS] = brokers;
  process.env[MONGODB_TARGETS_FOR_TESTS] = JSON.stringify(targets);
  await Promise.all([probeKafka(), ...targets.map(probeMongo)]);
  return targets;
}

async function recordedEndpoint(server: 'kafka' | 'mongo-java-server' | 'ferretdb'): Promise<string> {
  try {
    return await localEndpoint(server);
  } catch {
    throw new Error(`${server} has no recorded endpoint: ${NOT_RUNNING}`);
  }
}

async function probeKafka(): Promise<void> {
  const admin = testKafkaClient().admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new Error(`Kafka does not answer (${(error as Error).message}): ${NOT_RUNNING}`);
  } finally {
    await admin.disconnect();
  }
}

async function probeMongo(target: MongoTarget): Promise<void> {
  const client = new MongoClient(target.uri, { serverSelectionTimeoutMS: PROBE_TIMEOUT_MS });
  try {
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    throw new Error(
      `${target.name} at ${target.uri} does not answer (${(error as Error).message}): ${NOT_RUNNING}`,
    );
  } finally {
    await client.close();
  }
}
