import { Injectable } from '@nestjs/common';
import { Db } from 'mongodb';

/** Readiness checks bound their wait on the database; the driver's own default is 30 seconds. */
const PING_TIMEOUT_MS = 2000;

@Injectable()
export class MongoHealth {
  constructor(private readonly db: Db) {}

  /** Resolves when the server answers a ping; rejects with the driver's error otherwise. */
  async ping(): Promise<void> {
    await this.db.command({ ping: 1 }, { timeoutMS: PING_TIMEOUT_MS });
  }
}
