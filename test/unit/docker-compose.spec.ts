import { ENVIRONMENT_KEYS } from '@app/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
}

const compose = parse(readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8'), { merge: true }) as {
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
});
