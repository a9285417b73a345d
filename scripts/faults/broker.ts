import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../test/support/store-process';
import { PrivateServer } from './private-server';

const KAFKA_HOME = resolve(process.env.INFRA_HOME ?? resolve(__dirname, '../../.cache/infra'), 'kafka');
const CLASSPATH = `${KAFKA_HOME}/libs/*`;

/** A single-node KRaft broker of the fault suite's own (the jars scripts/infra installed), with a log folder of its own. */
export class PrivateKafka extends PrivateServer {
  protected readonly name = 'broker';
  protected readonly startLimitMs = 120_000;
  protected readonly removeSignal = 'SIGKILL';

  static async start(): Promise<PrivateKafka> {
    const [port, controller] = [await freePort(), await freePort()];
    const broker = new PrivateKafka(port, mkdtempSync(join(tmpdir(), 'faults-kafka-')));
    writeFileSync(
      broker.config,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controller}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        `log.dirs=${join(broker.home, 'data')}`,
        'auto.create.topics.enable=false',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
      ].join('\n'),
    );
    const clusterId = readFileSync(join(KAFKA_HOME, 'cluster-id'), 'utf8').trim();
    execFileSync(
      'java',
      ['-cp', CLASSPATH, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', broker.config],
      {
        stdio: 'ignore',
      },
    );
    await broker.restart();
    return broker;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  private get config(): string {
    return join(this.home, 'server.properties');
  }

  protected command(): [string, string[]] {
    return [
      'java',
      ['-Xms256m', '-Xmx512m', '-Djava.awt.headless=true', '-cp', CLASSPATH, 'kafka.Kafka', this.config],
    ];
  }
}
