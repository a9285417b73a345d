import { randomBytes } from 'node:crypto';

/** A MongoDB-compatible server the integration suites run against. */
export interface MongoTarget {
  name: 'mongo-java-server' | 'ferretdb' | 'external';
  uri: string;
}

/** Set by test/setup/global-setup.ts, read by the suites (Jest workers inherit the environment). */
export const KAFKA_BROKERS_FOR_TESTS = 'TEST_KAFKA_BROKERS';
export const MONGODB_TARGETS_FOR_TESTS = 'TEST_MONGODB_TARGETS';

function setByGlobalSetup(variable: string): string {
  const value = process.env[variable];
  if (!value) {
    throw new Error(
      `${variable} is not set: run integration suites through the Jest project that starts the servers ` +
        '(bash scripts/test-integration.sh <path>)',
    );
  }
  return value;
}

export function kafkaBrokers(): string[] {
  return setByGlobalSetup(KAFKA_BROKERS_FOR_TESTS).split(',');
}

/** Both local servers, or the one that MONGODB_URI names; for `describe.each(mongoTargets())`. */
export function mongoTargets(): MongoTarget[] {
  return JSON.parse(setByGlobalSetup(MONGODB_TARGETS_FOR_TESTS)) as MongoTarget[];
}

// Names must be valid as MongoDB database names (FerretDB allows [a-zA-Z0-9_-], at most 63 characters)
// as well as Kafka topic and consumer group names.
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,63}$/;

/** A database, topic or consumer group name that no other test, run or machine sharing a server uses. */
export function uniqueName(prefix: string): string {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`uniqueName('${prefix}') gives '${name}', which is not a valid database or topic name`);
  }
  return name;
}
