import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';
import { OperatorToken } from './operator-token';
import { OperatorTokenGuard } from './operator-token.guard';

/**
 * The operators' routes, /operations/*: dead letters (list, show, re-drive) and view generations, behind
 * OPERATOR_TOKEN. Without the token they do not exist (404, and absent from the OpenAPI document): an operator
 * API open to anyone would be worse than none. Needs the profile's ports and a prom-client Registry.
 */
@Module({})
export class OperationsModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.operatorToken === null) return { module: OperationsModule };
    return {
      module: OperationsModule,
      controllers: [OperationsController],
      providers: [
        OperationsService,
        OperatorTokenGuard,
        { provide: OperatorToken, useValue: new OperatorToken(config.operatorToken) },
      ],
    };
  }
}
