import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PortGroup, RUNTIME_PROFILES } from './runtime-profiles';

/**
 * The one place that knows the runtime profiles (RUNTIME_PROFILES). Apps import this and inject ports; none of them
 * branches on the profile. It is global, so lib modules (projection, replay, read API) inject ports without
 * importing it.
 */
@Module({})
export class RuntimeModule {
  /** Every port of the configured profile. */
  static forRoot(config: AppConfig): DynamicModule {
    return RuntimeModule.forPorts(config, 'all');
  }

  /** Only what reads and rebuilds need (EventArchive, ViewGenerations): tools that must not touch the broker. */
  static forStorage(config: AppConfig): DynamicModule {
    return RuntimeModule.forPorts(config, 'storage');
  }

  /** Only the ports of `group`: a tool that reads or rebuilds views never connects to the event log. */
  static forPorts(config: AppConfig, group: PortGroup): DynamicModule {
    const adapters = RUNTIME_PROFILES[config.profile].ports(group);
    return { module: RuntimeModule, global: true, imports: adapters, exports: adapters };
  }

  /** The module of the profile's projector (the engine and its runner); needs forRoot() and a prom-client Registry. */
  static projector(config: AppConfig): Type {
    return RUNTIME_PROFILES[config.profile].projector;
  }
}
