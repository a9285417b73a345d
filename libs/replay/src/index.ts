export * from './archive-sessions';
export * from './json-diff';
export * from './progress';
export * from './replay.module';
export * from './session-history';
export * from './view-rebuilder';
export * from './view-verifier';
