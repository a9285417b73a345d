import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../test/support/store-process';
import { sleep } from './tally';

const KAFKA_HOME = resolve(process.env.INFRA_HOME ?? resolve(__dirname, '../../.cache/infra'), 'kafka');
const CLASSPATH = `${KAFKA_HOME}/libs/*`;

/**
 * A single-node KRaft broker of the fault suite's own (the jars scripts/infra installed), on its own ports and log
 * folder, so killing it disturbs nobody else's tests. Restarted with the same command line it keeps its log.
 */
export class PrivateKafka {
  private child: ChildProcess | undefined;
  private constructor(
    private readonly port: number,
    private readonly home: string,
  ) {}

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

  async restart(): Promise<void> {
    this.child = spawn(
      'java',
      ['-Xms256m', '-Xmx512m', '-Djava.awt.headless=true', '-cp', CLASSPATH, 'kafka.Kafka', this.config],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 1200; attempt += 1) {
      if (await listening(this.port)) return;
      await sleep(100);
    }
    throw new Error(`the fault suite's broker did not listen on ${this.port}`);
  }

  /** Sends `signal` to this broker's own PID and waits for it to end. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  async remove(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.home, { recursive: true, force: true });
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
