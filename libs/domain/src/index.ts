export * from './session-view';
export * from './session-defaults';
export * from './projection';
export * from './events/session-event';
export * from './fold';
export * from './assert-never';
