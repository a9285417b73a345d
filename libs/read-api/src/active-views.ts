import { Injectable } from '@nestjs/common';
import { ViewGenerations, ViewStore } from '@app/ports';

/** The generation serving reads and its view store. */
export interface ActiveGeneration {
  generation: string;
  store: ViewStore;
}

/**
 * The view store of the generation serving reads, looked up per request: a rebuild switches the pointer
 * atomically, and a reader that asked once would keep reading the retired generation.
 */
@Injectable()
export class ActiveViews {
  constructor(private readonly generations: ViewGenerations) {}

  async store(): Promise<ViewStore> {
    return (await this.current()).store;
  }

  /** With the generation's name, which a response's ETag holds: a rebuild may refold a session to the same version. */
  async current(): Promise<ActiveGeneration> {
    const generation = await this.generations.active();
    return { generation, store: this.generations.store(generation) };
  }
}
