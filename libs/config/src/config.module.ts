import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/**
 * main.ts loads the configuration once (`loadConfig()`, failing fast with every invalid variable named) and hands it
 * here; everything else injects `AppConfig`. Tests pass a config of their own instead of touching process.env.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
