export * from './emitter.errors';
export * from './session-emitter';
