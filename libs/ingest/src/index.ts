export * from './ingest-limits';
export * from './ingest-token';
export * from './ingest.module';
export * from './ingest.service';
