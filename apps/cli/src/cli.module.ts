import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { ReplayModule } from '@app/replay';
import { RuntimeModule } from '@app/runtime';
import { CommandNeeds } from './command';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig, needs: CommandNeeds): DynamicModule {
    const runtime = needs === 'storage' ? RuntimeModule.forStorage(config) : RuntimeModule.forRoot(config);
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), runtime, ReplayModule],
    };
  }
}
