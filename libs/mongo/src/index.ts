export * from './mongo.module';
export * from './mongo-health';
export * from './mongo-store.error';
export * from './mongo.event-archive';
export * from './mongo.view-generations';
export * from './mongo.view-store';
export * from './archive-document';
export * from './view-document';
