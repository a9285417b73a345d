export * from './change-feed';
export * from './dead-letters';
export * from './event-archive';
export * from './event-log';
export * from './view-generations';
export * from './view-store';
