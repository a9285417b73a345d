import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { ReplayModule } from '@app/replay';
import { RuntimeModule } from '@app/runtime';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), RuntimeModule.forStorage(config), ReplayModule],
    };
  }
}
