import { Injectable } from '@nestjs/common';

@Injectable()
export class ChangeStreamSettings {
  /**
   * A comment line this often keeps idle streams alive through proxies that close quiet connections, and lets a
   * client tell a quiet feed from a dead connection.
   */
  readonly heartbeatMs: number = 15_000;
}
