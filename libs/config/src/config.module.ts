import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';

/** Apps import this once; everything else injects `AppConfig`. Tests provide their own `AppConfig` instead. */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig() }],
  exports: [AppConfig],
})
export class ConfigModule {}
