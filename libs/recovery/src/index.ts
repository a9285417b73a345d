export * from './dead-letter-redrive';
export * from './recovery-metrics';
