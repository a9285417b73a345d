import { ENVIRONMENT_KEYS } from '@app/config';
import { PROJECTOR_SHUTDOWN_GRACE_MS } from '@app/kafka';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  build?: string;
  image?: string;
  pull_policy?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  stop_grace_period?: string;
  healthcheck?: { test: string[] };
}

const read = (path: string) => readFileSync(join(__dirname, '../..', path), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

const APP_SERVICES = ['projector', 'query-api'];
const MONGODB_DEFAULT_PORT = 27017;

function environmentOf(serviceName: string): Record<string, string> {
  const environment = compose.services[serviceName]?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
}

/** `NAME://host:port` entries of a Kafka listener list, by listener name. */
function listeners(list: string): Map<string, { host: string; port: number }> {
  return new Map(
    list.split(',').map((entry) => {
      const [, name, host, port] = /^([A-Z_]+):\/\/([^:]*):(\d+)$/.exec(entry.trim()) ?? [];
      if (!name) throw new Error(`unreadable Kafka listener '${entry}'`);
      return [name, { host, port: Number(port) }];
    }),
  );
}

/** A Compose duration such as `1m30s` or `45s`, in milliseconds. */
function durationMs(duration: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.map(([part]) => part).join('') !== duration) throw new Error(`unreadable duration '${duration}'`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0);
}

function optionOf(command: string[], option: string): string | undefined {
  const index = command.indexOf(option);
  return index === -1 ? undefined : command[index + 1];
}

describe('docker-compose.yml', () => {
  it.each(APP_SERVICES)('sets only environment variables the apps read, for %s', (service) => {
    const keys = Object.keys(environmentOf(service));

    expect(keys).not.toHaveLength(0);
    expect(keys.filter((key) => !ENVIRONMENT_KEYS.includes(key))).toEqual([]);
  });

  it.each(APP_SERVICES)(
    'points KAFKA_BROKERS of %s at a listener the kafka service advertises',
    (service) => {
      const kafka = environmentOf('kafka');
      const bound = listeners(kafka.KAFKA_LISTENERS);
      const advertised = listeners(kafka.KAFKA_ADVERTISED_LISTENERS);
      const brokers = environmentOf(service).KAFKA_BROKERS.split(',');

      for (const broker of brokers) {
        const [host, port] = broker.split(':');
        const listener = [...advertised].find(([, address]) => `${address.host}:${address.port}` === broker);
        expect(host).toBe('kafka');
        expect(listener).toBeDefined();
        expect(bound.get(listener![0])?.port).toBe(Number(port));
      }
    },
  );

  it.each(APP_SERVICES)(
    'points MONGODB_URI of %s at the mongo service, its port and replica set',
    (service) => {
      const mongoCommand = compose.services.mongo.command ?? [];
      const uri = new URL(environmentOf(service).MONGODB_URI);

      expect(uri.hostname).toBe('mongo');
      expect(Number(uri.port || MONGODB_DEFAULT_PORT)).toBe(
        Number(optionOf(mongoCommand, '--port') ?? MONGODB_DEFAULT_PORT),
      );
      expect(uri.searchParams.get('replicaSet')).toBe(optionOf(mongoCommand, '--replSet'));
    },
  );

  it('builds the apps image once, and both apps run it', () => {
    const images = APP_SERVICES.map((service) => compose.services[service].image);
    expect(new Set(images).size).toBe(1);
    const builders = APP_SERVICES.filter((service) => compose.services[service].build !== undefined);
    expect(builders).toEqual(['query-api']);
    // A service that only names the image must wait for that build, not look for it in a registry.
    for (const service of APP_SERVICES.filter((name) => !builders.includes(name)))
      expect(compose.services[service].pull_policy).toBe('never');
  });

  it("gives the projector longer to stop than its batch's drain takes", () => {
    const grace = compose.services.projector.stop_grace_period;
    expect(grace).toBeDefined();
    expect(durationMs(grace!)).toBeGreaterThan(PROJECTOR_SHUTDOWN_GRACE_MS);
  });

  it('takes the ingest and operator tokens from the .env file that .env.example explains, and never ships them', () => {
    expect(environmentOf('query-api').INGEST_TOKEN).toMatch(
      /^\$\{INGEST_TOKEN:\?[^}]*\.env\.example[^}]*\}$/,
    );
    expect(read('.env.example')).toMatch(/^INGEST_TOKEN=$/m);
    expect(environmentOf('query-api').OPERATOR_TOKEN).toBe('${OPERATOR_TOKEN:-}');
    expect(read('.env.example')).toMatch(/^OPERATOR_TOKEN=$/m);
    expect(read('.gitignore').split('\n')).toContain('.env');
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });

  it.each(APP_SERVICES)('checks the readiness of %s on its HTTP_PORT', (service) => {
    const test = compose.services[service].healthcheck?.test.join(' ') ?? '';
    expect(test).toContain(`http://127.0.0.1:${environmentOf(service).HTTP_PORT}/health/ready`);
  });
});
