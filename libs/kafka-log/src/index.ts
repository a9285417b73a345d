export * from './kafka.errors';
export * from './kafka-retry';
export * from './kafka-record-producer';
export * from './kafka.event-log';
export * from './standalone-kafka-event-log';
