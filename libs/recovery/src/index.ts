export * from './dead-letter-redrive';
export * from './event-log-reader';
export * from './log-archive-verifier';
export * from './log-reprojector';
export * from './recovery-metrics';
