export * from './batch-report';
export * from './archived-fold';
export * from './bounded-fold';
export * from './fold-into-store';
export * from './log-record';
export * from './projection-engine';
export * from './projection.module';
export * from './projector-metrics';
