import { createParamDecorator, ExecutionContext, PipeTransform, Type } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiQuery } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError, ValidationIssue } from '../errors/request-validation-error';
import { declaredParameters, ParameterDeclaration } from './parameter-declarations';
import { propertyIssues } from './validation-issues';

// FastAPI solves a route's dependencies first, then validates the route's own parameters (path, query, headers, in
// declaration order), and answers every problem of all of them in one 422. Here the identity dependency is the
// caller guard, which runs before any parameter: when the route takes `@Parameters()`, the guard defers its 422
// issues to the request instead of throwing, and the parameters pipe answers them first, followed by its own.

const DEFERRED = Symbol('deferred-issues');
const TAKES_PARAMETERS = Symbol('takes-parameters');

type RequestWithIssues = FastifyRequest & { [DEFERRED]?: ValidationIssue[] };

/** Whether the route handler validates its parameters with `@Parameters()`, which answers deferred issues. */
export function takesParameters(handler: object): boolean {
  return Reflect.getMetadata(TAKES_PARAMETERS, handler) === true;
}

/** Issues of a dependency solved before the parameters, answered with theirs and before them. */
export function deferIssues(request: FastifyRequest, issues: readonly ValidationIssue[]): void {
  const deferred = ((request as RequestWithIssues)[DEFERRED] ??= []);
  deferred.push(...issues);
}

/** Whether a dependency's issues wait for the parameters pipe (so the caller is knowingly absent). */
export function hasDeferredIssues(request: FastifyRequest): boolean {
  return ((request as RequestWithIssues)[DEFERRED] ?? []).length > 0;
}

/** Reads each declared parameter from where it is declared, validates them all, and answers every issue at once. */
class RequestParametersPipe implements PipeTransform<FastifyRequest> {
  transform(request: FastifyRequest, metadata: { metatype?: Type<unknown> }): Promise<unknown> {
    return validatedParameters(metadata.metatype as Type<object>, request);
  }
}

/**
 * The request's parameters that `dto` declares, validated: an instance of `dto`, or a `RequestValidationError` with
 * every issue (after any a dependency deferred).
 */
export async function validatedParameters<T extends object>(
  dto: Type<T>,
  request: FastifyRequest,
): Promise<T> {
  const declarations = declaredParameters(dto);
  const received = Object.fromEntries(
    declarations
      .map((declaration) => [declaration.name, valueOf(request, declaration)] as const)
      .filter(([, value]) => value !== undefined),
  );
  const instance = plainToInstance(dto, received);
  // whitelist drops what no rule declares, such as `agent_id[$ne]`, so only declared inputs reach a handler.
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: true });
  const issues = [
    ...((request as RequestWithIssues)[DEFERRED] ?? []),
    ...orderedIssues(errors, declarations, received),
  ];
  if (issues.length > 0) throw new RequestValidationError(issues);
  return instance;
}

function valueOf(request: FastifyRequest, declaration: ParameterDeclaration): unknown {
  switch (declaration.location) {
    case 'path':
      return (request.params as Record<string, unknown> | undefined)?.[declaration.name];
    case 'query':
      return ownValue(request.query, declaration.name);
    case 'header':
      return request.headers[declaration.name];
  }
}

function ownValue(source: unknown, name: string): unknown {
  if (source === null || typeof source !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(source, name)
    ? (source as Record<string, unknown>)[name]
    : undefined;
}

function orderedIssues(
  errors: readonly ValidationError[],
  declarations: readonly ParameterDeclaration[],
  received: Record<string, unknown>,
): ValidationIssue[] {
  return declarations.flatMap((declaration) =>
    errors
      .filter((error) => error.property === declaration.name)
      .flatMap((error) => propertyIssues(error, declaration.location, received)),
  );
}

const currentRequest = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  context.switchToHttp().getRequest<FastifyRequest>(),
);

/**
 * The request's parameters as an instance of the argument's DTO class: path, query and header parameters declared
 * in one class (`@InPath()`, `@InHeader()`, query by default), validated together, and described in the OpenAPI
 * document from the same declarations.
 */
export const Parameters =
  (): ParameterDecorator =>
  (target: object, property: string | symbol | undefined, index: number): void => {
    currentRequest(new RequestParametersPipe())(target, property, index);
    if (property === undefined) return;
    const handler = (target as Record<string | symbol, object>)[property];
    Reflect.defineMetadata(TAKES_PARAMETERS, true, handler);
    const dto = (Reflect.getMetadata('design:paramtypes', target, property) as Type<object>[])[index];
    DocumentedParameters(dto)(target, property, Object.getOwnPropertyDescriptor(target, property)!);
  };

/** Describes every parameter `dto` declares in the OpenAPI document of the decorated route. */
export const DocumentedParameters =
  (dto: Type<object>): MethodDecorator =>
  (target, property, descriptor) => {
    for (const declaration of declaredParameters(dto))
      documentParameter(declaration)(target, property, descriptor);
  };

function documentParameter(declaration: ParameterDeclaration): MethodDecorator {
  const options = {
    name: declaration.name,
    required: declaration.required,
    schema: declaration.schema,
    ...(declaration.description === undefined ? {} : { description: declaration.description }),
  };
  switch (declaration.location) {
    case 'path':
      return ApiParam(options);
    case 'query':
      return ApiQuery(options);
    case 'header':
      return ApiHeader(options);
  }
}
