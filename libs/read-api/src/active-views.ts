import { Injectable } from '@nestjs/common';
import { ViewGenerations, ViewStore } from '@app/ports';

/**
 * The view store of the generation serving reads, looked up per request: a rebuild switches the pointer
 * atomically, and a reader that asked once would keep reading the retired generation.
 */
@Injectable()
export class ActiveViews {
  constructor(private readonly generations: ViewGenerations) {}

  async store(): Promise<ViewStore> {
    return this.generations.store(await this.generations.active());
  }
}
