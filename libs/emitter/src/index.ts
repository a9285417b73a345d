// The domain's event rules are class-validator classes whose decorators read type metadata: the SDK loads the
// polyfill itself, so a runtime can require it first thing without knowing that.
import 'reflect-metadata';
export * from './emitter.errors';
export * from './session-emitter';
