import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { DtoClass } from '../schema/json-schema';

// class-validator checks instances of the DTO classes. class-transformer's plainToInstance builds them by walking
// the whole value, unknown keys included, and it throws on a `constructor` key and overflows the stack on deep
// values. This builds only what validation reads: an instance per object a `@Type` names, every other value as
// it is, own keys copied as own properties so that unknown ones are reported. A `constructor` key is never a DTO
// property and class-validator finds an instance's rules through `instance.constructor`, so that key is not
// copied but handed to `unknownKeys`, to be reported like any other unknown key.

export function toDtoInstance(
  dto: DtoClass,
  plain: Record<string, unknown>,
  unknownKeys: (path: readonly (string | number)[]) => void,
  path: readonly (string | number)[] = [],
): object {
  const instance = Object.create(dto.prototype as object) as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (key === 'constructor') {
      unknownKeys([...path, key]);
      continue;
    }
    const nested = defaultMetadataStorage.findTypeMetadata(dto, key)?.typeFunction() as DtoClass | undefined;
    const value = plain[key];
    Object.defineProperty(instance, key, {
      value: nested === undefined ? value : nestedValue(nested, value, unknownKeys, [...path, key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return instance;
}

function nestedValue(
  dto: DtoClass,
  value: unknown,
  unknownKeys: (path: readonly (string | number)[]) => void,
  path: readonly (string | number)[],
): unknown {
  if (Array.isArray(value)) {
    return value.map((element, index) => nestedValue(dto, element, unknownKeys, [...path, index]));
  }
  return isPlainRecord(value) ? toDtoInstance(dto, value, unknownKeys, path) : value;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
