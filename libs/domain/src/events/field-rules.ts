import { Type } from 'class-transformer';
import {
  IsArray,
  IsNotEmpty,
  IsNumber,
  Max,
  Min,
  IsObject,
  IsString,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { isInstant } from '../instant';
import { describeCondition, describeRule } from '../schema/json-schema';
import { MAX_FREEFORM_DEPTH, MAX_ID_LENGTH, MAX_PATH_LENGTH, MAX_TEXT_BYTES } from './limits';

// One decorator per kind of field, so each DTO property reads as a single line that says what it holds
// and carries its limit with it.

type DtoClass = new () => object;

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

const each: ValidationOptions = { each: true };

const isPresent = (_object: object, value: unknown): boolean => value !== undefined;
const isNotNull = (_object: object, value: unknown): boolean => value !== null;
describeCondition(isPresent, 'optional');
describeCondition(isNotNull, 'nullable');

/** The key may be left out; when present, every rule of the property applies. */
export const Optional = (): PropertyDecorator => ValidateIf(isPresent);

/** The key must be present but may be null; a non-null value must pass every rule of the property. */
export const Nullable = (): PropertyDecorator => ValidateIf(isNotNull);

/**
 * An integer JavaScript holds exactly: beyond 2^53 - 1 neighbouring integers share one double, so 2^53 + 1 would
 * be stored as 2^53 (a seq would name another event) and 1e300 parses as an "integer" too.
 */
export const IsSafeInt = (min: number): PropertyDecorator =>
  ValidateBy({
    name: 'isSafeInt',
    constraints: [min],
    validator: {
      validate: (value) => Number.isSafeInteger(value) && (value as number) >= min,
      defaultMessage: () => `$property must be an integer from ${min} to ${Number.MAX_SAFE_INTEGER}`,
    },
  });
describeRule('isSafeInt', ([min]) => ({
  property: { type: 'integer', minimum: min, maximum: Number.MAX_SAFE_INTEGER },
}));

/** A finite number (JSON holds no other); `max` where the field has a ceiling. */
export const IsFiniteNumber = (min: number, max?: number): PropertyDecorator =>
  all(
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
  );

export const IsId = (): PropertyDecorator => all(IsString(), IsNotEmpty(), MaxChars(MAX_ID_LENGTH));

export const IsIdList = (): PropertyDecorator =>
  all(IsArray(), IsString(each), IsNotEmpty(each), MaxChars(MAX_ID_LENGTH, each));

/** Names, model and type names: short, possibly empty. */
export const IsShortString = (): PropertyDecorator => all(IsString(), MaxChars(MAX_ID_LENGTH));

export const IsShortStringList = (): PropertyDecorator =>
  all(IsArray(), IsString(each), MaxChars(MAX_ID_LENGTH, each));

export const IsFilePath = (): PropertyDecorator => all(IsString(), MaxChars(MAX_PATH_LENGTH));

export const IsText = (): PropertyDecorator => all(IsString(), MaxUtf8Bytes(MAX_TEXT_BYTES));

export const IsTextList = (): PropertyDecorator =>
  all(IsArray(), IsString(each), MaxUtf8Bytes(MAX_TEXT_BYTES, each));

/**
 * An RFC 3339 date-time with a timezone (see ../instant); parsing rewrites it into pydantic's UTC form, which
 * the schema's `format: date-time` marks for the normaliser.
 */
export const IsDateTime = (): PropertyDecorator =>
  ValidateBy({
    name: 'isDateTime',
    validator: {
      validate: isInstant,
      defaultMessage: () => '$property must be an RFC 3339 date-time with a timezone (Z or ±hh:mm)',
    },
  });
describeRule('isDateTime', () => ({ property: { type: 'string', format: 'date-time' } }));

export const IsFreeform = (): PropertyDecorator =>
  all(
    IsObject(),
    ValidateBy({
      name: 'isFreeform',
      validator: {
        validate: (value) => isJsonWithinDepth(value, MAX_FREEFORM_DEPTH),
        defaultMessage: () =>
          `$property must hold only JSON values nested at most ${MAX_FREEFORM_DEPTH} levels deep`,
      },
    }),
  );

export const IsNested = (dto: DtoClass): PropertyDecorator =>
  all(
    IsObject(),
    ValidateNested(),
    Type(() => dto),
  );

/** A list of `dto` objects; IsObject(each) because ValidateNested alone lets a list of lists through. */
export const IsNestedList = (dto: DtoClass): PropertyDecorator =>
  all(
    IsArray(),
    IsObject(each),
    ValidateNested(each),
    Type(() => dto),
  );

describeRule('isFreeform', () => ({
  property: { type: 'object', 'x-json-max-depth': MAX_FREEFORM_DEPTH },
}));

/**
 * At most `limit` characters, counted as code points, which is what JSON Schema's maxLength counts. (validator.js,
 * behind class-validator's MaxLength, also leaves out emoji variation selectors, a count no schema can state.)
 */
function MaxChars(limit: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxChars',
      constraints: [limit],
      validator: {
        validate: (value) => typeof value === 'string' && fitsChars(value, limit),
        defaultMessage: () =>
          `${options?.each ? 'each value in ' : ''}$property must be shorter than or equal to ${limit} characters`,
      },
    },
    options,
  );
}
describeRule('maxChars', ([limit]) => ({ property: { maxLength: limit } }));

// A code point is one or two UTF-16 code units, so most strings are decided by their length alone.
function fitsChars(value: string, limit: number): boolean {
  if (value.length <= limit) return true;
  if (value.length > limit * 2) return false;
  let count = 0;
  for (const _codePoint of value) {
    count += 1;
    if (count > limit) return false;
  }
  return true;
}

function MaxUtf8Bytes(limit: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxUtf8Bytes',
      constraints: [limit],
      validator: {
        validate: (value) => typeof value !== 'string' || fitsUtf8Bytes(value, limit),
        defaultMessage: () =>
          `${options?.each ? 'each value in ' : ''}$property must be at most ${limit} bytes`,
      },
    },
    options,
  );
}

describeRule('maxUtf8Bytes', ([limit]) => ({ property: { maxLength: limit, 'x-max-utf8-bytes': limit } }));

// A UTF-16 code unit encodes to 1 to 3 UTF-8 bytes, so most strings are decided by their length alone.
export function fitsUtf8Bytes(value: string, limit: number): boolean {
  if (value.length > limit) return false;
  return value.length * 3 <= limit || Buffer.byteLength(value, 'utf8') <= limit;
}

/**
 * Stops descending once past the limit, so a hostile document cannot exhaust the stack. Own `__proto__`
 * keys are refused because copying such an object elsewhere would replace the copy's prototype.
 */
export function isJsonWithinDepth(value: unknown, levelsLeft: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || levelsLeft === 0) return false;
  if (Array.isArray(value)) {
    for (const element of value) if (!isJsonWithinDepth(element, levelsLeft - 1)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || !isJsonWithinDepth((value as Record<string, unknown>)[key], levelsLeft - 1)) {
      return false;
    }
  }
  return true;
}
