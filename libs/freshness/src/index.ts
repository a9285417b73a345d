export * from './freshness-header-names';
export * from './freshness-headers';
export * from './freshness.module';
export * from './projection-watcher';
export * from './read-after-position';
