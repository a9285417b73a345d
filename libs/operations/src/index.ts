export * from './dead-letter-body';
export * from './dto/operations-params';
export * from './operations.module';
export * from './operations.service';
export * from './operator-token';
