import { readDateTime } from '@app/domain';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';
import { DeclaredSchema } from './parameter-declarations';

// Validation decorators for request parameters that report each failure as the Pydantic error FastAPI
// would send for the same declaration (`Query(ge=1, le=200)`, `Literal[...]`, `max_length=...`), so a
// client of the seed's API reads our 422s unchanged. Each rule carries its issue in class-validator's
// `context`, which `validationIssues` turns into the body, and declares its JSON Schema keywords for the OpenAPI
// document (parameter-declarations.ts), so no bound is stated twice.

/** Which rule speaks when several fail: presence, then type, then value, as Pydantic checks them. */
export enum IssueStage {
  Presence = 0,
  Type = 1,
  Value = 2,
}

export interface IssueTemplate {
  stage: IssueStage;
  type: string;
  msg: string;
  ctx?: Record<string, unknown>;
  /** Pydantic reports a list or object given for a scalar as a `*_type` error instead of a parsing one. */
  notScalar?: { type: string; msg: string };
}

function issue(template: IssueTemplate): ValidationOptions {
  return { context: template };
}

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

export const Required = (): PropertyDecorator =>
  all(
    DeclaredSchema({}, { required: true }),
    IsDefined(issue({ stage: IssueStage.Presence, type: 'missing', msg: 'Field required' })),
  );

/** Rules apply only when the parameter was sent; the property's initializer is its default. */
export const OptionalInput = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

export const StringInput = (): PropertyDecorator =>
  all(
    DeclaredSchema({ type: 'string' }),
    IsString(issue({ stage: IssueStage.Type, type: 'string_type', msg: 'Input should be a valid string' })),
  );

export const IntegerInput = (): PropertyDecorator =>
  all(
    DeclaredSchema({ type: 'integer' }),
    Transform(({ value }) => (typeof value === 'string' && INTEGER.test(value) ? Number(value) : value)),
    IsInt(
      issue({
        stage: IssueStage.Type,
        type: 'int_parsing',
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        notScalar: { type: 'int_type', msg: 'Input should be a valid integer' },
      }),
    ),
  );
const INTEGER = /^\s*[+-]?\d+\s*$/;

export const BooleanInput = (): PropertyDecorator =>
  all(
    DeclaredSchema({ type: 'boolean' }),
    Transform(({ value }) =>
      typeof value === 'string' ? (BOOLEAN_WORDS.get(value.toLowerCase()) ?? value) : value,
    ),
    IsBoolean(
      issue({
        stage: IssueStage.Type,
        type: 'bool_parsing',
        msg: 'Input should be a valid boolean, unable to interpret input',
        notScalar: { type: 'bool_type', msg: 'Input should be a valid boolean' },
      }),
    ),
  );
// The words Pydantic accepts for a boolean.
const BOOLEAN_WORDS = new Map<string, boolean>([
  ...['true', '1', 'yes', 'on', 't', 'y'].map((word) => [word, true] as const),
  ...['false', '0', 'no', 'off', 'f', 'n'].map((word) => [word, false] as const),
]);

/** One of `values`, reported like a Python `Enum` or `Literal` parameter. */
export const EnumInput = (values: readonly string[]): PropertyDecorator => {
  const expected = quotedAlternatives(values);
  return all(
    DeclaredSchema({ type: 'string', enum: [...values] }),
    IsIn(
      values,
      issue({ stage: IssueStage.Type, type: 'enum', msg: `Input should be ${expected}`, ctx: { expected } }),
    ),
  );
};

function quotedAlternatives(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  return quoted.length === 1
    ? quoted[0]
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

export const MinValue = (ge: number): PropertyDecorator =>
  all(
    DeclaredSchema({ minimum: ge }),
    Min(
      ge,
      issue({
        stage: IssueStage.Value,
        type: 'greater_than_equal',
        msg: `Input should be greater than or equal to ${ge}`,
        ctx: { ge },
      }),
    ),
  );

export const MaxValue = (le: number): PropertyDecorator =>
  all(
    DeclaredSchema({ maximum: le }),
    Max(
      le,
      issue({
        stage: IssueStage.Value,
        type: 'less_than_equal',
        msg: `Input should be less than or equal to ${le}`,
        ctx: { le },
      }),
    ),
  );

export const MinChars = (minLength: number): PropertyDecorator =>
  all(
    DeclaredSchema({ minLength }),
    MinLength(
      minLength,
      issue({
        stage: IssueStage.Value,
        type: 'string_too_short',
        msg: `String should have at least ${minLength} character${minLength === 1 ? '' : 's'}`,
        ctx: { min_length: minLength },
      }),
    ),
  );

export const MaxChars = (maxLength: number): PropertyDecorator =>
  all(
    DeclaredSchema({ maxLength }),
    MaxLength(
      maxLength,
      issue({
        stage: IssueStage.Value,
        type: 'string_too_long',
        msg: `String should have at most ${maxLength} characters`,
        ctx: { max_length: maxLength },
      }),
    ),
  );

/** An RFC 3339 date-time with a timezone (Pydantic's `AwareDatetime`), read by @app/domain's instants module. */
export const ZonedDateTimeInput = (): PropertyDecorator =>
  all(
    DeclaredSchema({ type: 'string', format: 'date-time' }),
    ValidateBy(
      {
        name: 'isDateTime',
        validator: {
          validate: (value) => readDateTime(value).kind !== 'invalid',
          defaultMessage: () => '$property must be an RFC 3339 date-time',
        },
      },
      issue({
        stage: IssueStage.Type,
        type: 'datetime_parsing',
        msg: 'Input should be a valid datetime',
        notScalar: { type: 'datetime_type', msg: 'Input should be a valid datetime' },
      }),
    ),
    ValidateBy(
      {
        name: 'isZoned',
        validator: {
          validate: (value) => readDateTime(value).kind === 'instant',
          // class-validator drops the context of a rule whose message is empty.
          defaultMessage: () => '$property must name its timezone',
        },
      },
      issue({ stage: IssueStage.Value, type: 'timezone_aware', msg: 'Input should have timezone info' }),
    ),
  );

/** A required string, any length, empty included: a Python `str` parameter. */
export const RequiredString = (): PropertyDecorator => all(Required(), StringInput());

/** A required, non-empty string of at most `maxLength` characters (ids). */
export const RequiredText = (maxLength: number): PropertyDecorator =>
  all(Required(), StringInput(), MinChars(1), MaxChars(maxLength));

export const OptionalText = (maxLength: number): PropertyDecorator =>
  all(OptionalInput(), StringInput(), MinChars(1), MaxChars(maxLength));

export const OptionalInteger = (bounds: { min: number; max: number }): PropertyDecorator =>
  all(OptionalInput(), IntegerInput(), MinValue(bounds.min), MaxValue(bounds.max));

export const OptionalBoolean = (): PropertyDecorator => all(OptionalInput(), BooleanInput());

export const OptionalEnum = (values: readonly string[]): PropertyDecorator =>
  all(OptionalInput(), EnumInput(values));

export const OptionalZonedDateTime = (): PropertyDecorator => all(OptionalInput(), ZonedDateTimeInput());

/** A rule of the application's own, reported as Pydantic reports a failed custom validator. */
export const Satisfies = (
  name: string,
  test: (value: unknown) => boolean,
  reason: string,
): PropertyDecorator =>
  ValidateBy(
    { name, validator: { validate: test, defaultMessage: () => `$property: ${reason}` } },
    issue({ stage: IssueStage.Value, type: 'value_error', msg: `Value error, ${reason}` }),
  );
