export * from '@app/kafka-log';
export * from './dead-letter-record';
export * from './kafka.event-consumer';
export * from './kafka.health';
export * from './kafka.module';
export * from './kafka.topics';
export * from './kafka-topic-reader';
export * from './kafka.event-log-reader';
