// The domain's event classes carry decorator metadata, as in every app's main.ts.
import 'reflect-metadata';
import { KAFKA_BROKERS_FOR_TESTS, MONGODB_TARGETS_FOR_TESTS } from '../../test/support/infra';
import { localEndpoint } from '../../test/setup/local-servers';
import { embeddedKills } from './embedded';
import { brokerKills, poison, projectorFrozen, projectorKills, storeKills } from './production';
import { failed, Figures, printFigures } from './tally';

/**
 * The standing fault suite: `npm run faults` (full) or `npm run faults -- --short`. Runs against the local servers of
 * scripts/infra on loopback only, starts every process it faults itself and stops each by its PID. Prints the
 * figures of each scenario and exits 1 when any shows a loss the system promises not to have.
 */
const SHORT = process.argv.includes('--short');
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
/** Ends a run that hangs; a full run takes minutes. */
const WHOLE_RUN_BOUND_MS = 30 * 60_000;

function loopbackOnly(endpoint: string): string {
  const host = /^(?:[a-z]+:\/\/)?([^:/]+)/.exec(endpoint)?.[1];
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(`the fault suite runs on loopback only, and ${endpoint} is not`);
  }
  return endpoint;
}

async function main(): Promise<void> {
  const brokers = loopbackOnly(await localEndpoint('kafka'));
  // These scenarios fault the projector and the stream, not the store: the faster of the two local servers.
  const mongoUri = loopbackOnly(await localEndpoint('mongo-java-server'));
  process.env[KAFKA_BROKERS_FOR_TESTS] = brokers;
  process.env[MONGODB_TARGETS_FOR_TESTS] = JSON.stringify([{ name: 'mongo-java-server', uri: mongoUri }]);

  const scenarios: [string, () => Promise<Figures>][] = [
    ['projector-kills', () => projectorKills(mongoUri, SHORT ? 3 : 20)],
    ['projector-frozen', () => projectorFrozen(mongoUri)],
    ['poison', () => poison(mongoUri, SHORT ? 10_000 : 40_000)],
    ['broker-kills', () => brokerKills(mongoUri, SHORT ? 1 : 3)],
    ['store-kills', () => storeKills(SHORT ? 2 : 5)],
    ['embedded-kills', () => embeddedKills(SHORT ? 5 : 25)],
  ];
  const results: Figures[] = [];
  for (const [name, scenario] of scenarios) {
    if (only && !only.includes(name)) continue;
    const startedAt = Date.now();
    console.log(`[faults] ${name} ...`);
    const figures = await scenario();
    console.log(`[faults] ${name} done in ${Math.round((Date.now() - startedAt) / 1000)} s`);
    results.push(figures);
  }
  printFigures(results);
  process.exitCode = results.some(failed) ? 1 : 0;
}

const bound = setTimeout(() => {
  console.error(`[faults] gave up after ${WHOLE_RUN_BOUND_MS / 60_000} minutes`);
  process.exit(2);
}, WHOLE_RUN_BOUND_MS);
bound.unref();
main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  })
  .finally(() => process.exit());
