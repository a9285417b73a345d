export * from './app-logger';
export * from './log-entry';
export * from './request-context';
export * from './request-logging';
export * from './start-app';
export * from './startup-failure';
