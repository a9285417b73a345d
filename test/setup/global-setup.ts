import { KAFKA_BROKERS_FOR_TESTS, MONGODB_TARGETS_FOR_TESTS, MongoTarget } from '../support/infra';
import { acquireLocalServers, LocalServer, localEndpoint } from './local-servers';

/** Marks, for the teardown in this same process, that this run holds a lease on the local servers. */
export const LEASE_HOLDER_VARIABLE = 'TEST_INFRA_LEASE_HOLDER';

/**
 * KAFKA_BROKERS and MONGODB_URI point the suites at servers the caller runs; whichever is not set is
 * replaced by the local servers of scripts/infra/ (Kafka, or both mongo-java-server and FerretDB).
 */
export default async function globalSetup(): Promise<void> {
  const externalBrokers = process.env.KAFKA_BROKERS?.trim();
  const externalMongoUri = process.env.MONGODB_URI?.trim();
  const needed: LocalServer[] = [
    ...(externalBrokers ? [] : (['kafka'] as const)),
    ...(externalMongoUri ? [] : (['mongo-java-server', 'ferretdb'] as const)),
  ];

  if (needed.length > 0) {
    await acquireLocalServers(needed, process.pid);
    process.env[LEASE_HOLDER_VARIABLE] = String(process.pid);
  }

  process.env[KAFKA_BROKERS_FOR_TESTS] = externalBrokers || (await localEndpoint('kafka'));
  const mongoTargets: MongoTarget[] = externalMongoUri
    ? [{ name: 'external', uri: externalMongoUri }]
    : [
        { name: 'mongo-java-server', uri: await localEndpoint('mongo-java-server') },
        { name: 'ferretdb', uri: await localEndpoint('ferretdb') },
      ];
  process.env[MONGODB_TARGETS_FOR_TESTS] = JSON.stringify(mongoTargets);
}
