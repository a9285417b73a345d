export * from './read-api.module';
export * from './change-stream-settings';
export * from './dto/session-params';
export * from './queries/list-sessions.query';
export * from './queries/get-session.query';
export * from './queries/watch-session-changes.query';
export * from './session-view-shape';
export * from './session-list-cursor';
