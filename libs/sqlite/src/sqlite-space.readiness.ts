import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { ReadinessChecks } from '@app/http';
import { SqliteDatabase } from './sqlite.database';

/**
 * Readiness fails while the store's file cannot grow (disk full, or its page limit): ingest is refused with 507 then,
 * and a load balancer should send writers elsewhere. The next write that commits clears it.
 */
@Injectable()
export class SqliteSpaceReadiness implements OnModuleInit {
  constructor(
    private readonly database: SqliteDatabase,
    // An explicit token: the metadata of an optional parameter's type is Object.
    @Optional() @Inject(ReadinessChecks) private readonly readiness?: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('store-space', async () => {
      const since = this.database.writesRefusedAsFullSince;
      if (since) {
        throw new Error(
          `writes refused since ${since.toISOString()}: the disk holding ${this.database.file} is full; free space there`,
        );
      }
    });
  }
}
