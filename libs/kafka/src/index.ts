export * from './dead-letter-record';
export * from './kafka.errors';
export * from './kafka.event-consumer';
export * from './kafka.health';
export * from './kafka.module';
export * from './kafka.topics';
export * from './standalone-kafka-event-log';
export * from './kafka-retry';
