import { ArgumentMetadata, Injectable, PipeTransform, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { RequestValidationError } from '../errors/request-validation-error';
import { validationIssues } from './validation-issues';

/** Where FastAPI says a parameter was, by Nest's kind of parameter. */
const LOCATIONS: Partial<Record<ArgumentMetadata['type'], string>> = {
  query: 'query',
  body: 'body',
  param: 'path',
};

const PRIMITIVES: readonly unknown[] = [String, Number, Boolean, Object, Array];

/**
 * Turns a DTO-typed parameter into an instance of its class, or answers 422 with FastAPI's issues.
 * Registered globally for query, path and body DTOs; `@Headers(new RequestValidationPipe('header'))`
 * validates headers, which Nest does not tell apart from other custom parameters.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  constructor(private readonly location?: string) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const location = this.location ?? LOCATIONS[metadata.type];
    const dto = metadata.metatype;
    if (location === undefined || dto === undefined || PRIMITIVES.includes(dto)) return value;
    const instance = plainToInstance(dto as Type<object>, value ?? {}) as object;
    // whitelist drops what no rule declares, such as `agent_id[$ne]`, so only declared inputs reach a handler.
    const errors = await validate(instance, { whitelist: true, forbidUnknownValues: true });
    if (errors.length > 0) throw new RequestValidationError(validationIssues(errors, location, value));
    return instance;
  }
}
