import { Logger } from '@nestjs/common';
import { Kafka, logCreator, logLevel } from 'kafkajs';

export interface KafkaConnectionOptions {
  brokers: readonly string[];
  clientId: string;
}

/**
 * The client's reports of single connection attempts, which it retries: what fails for good reaches an adapter,
 * which raises a KafkaError its caller reports once. Logged at error, an unreachable broker printed two stack-bearing
 * lines per retry before that one line.
 */
const RETRIED_ATTEMPTS = new Set(['Connection', 'BrokerPool']);

/** Routes the client's own log lines through Nest's logger, so they share the apps' format and level. */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
    const line = `${namespace ? `[${namespace}] ` : ''}${message}${
      Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''
    }`;
    if (RETRIED_ATTEMPTS.has(namespace)) return logger.debug(line);
    switch (level) {
      case logLevel.ERROR:
        return logger.error(line);
      case logLevel.WARN:
        return logger.warn(line);
      case logLevel.INFO:
        return logger.log(line);
      default:
        return logger.debug(line);
    }
  };
};

export function createKafkaClient({ brokers, clientId }: KafkaConnectionOptions): Kafka {
  // The client logs every group join and reconnect at INFO; warnings and errors are what an operator acts on.
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.WARN, logCreator: nestLogCreator });
}
