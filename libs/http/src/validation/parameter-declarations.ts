// What a request-parameter DTO declares about each of its properties, recorded by the input-rule decorators
// themselves: where the value is read (path, query or header), its JSON Schema and whether it is required. The
// validation pipe reads the locations and the order; the OpenAPI document reads the schemas. A rule is therefore
// declared once, and the document cannot claim a bound the validator does not enforce, or miss one it does.

/** Where FastAPI says a parameter was; also the OpenAPI `in`. */
export type ParameterLocation = 'path' | 'query' | 'header';

/** The JSON Schema keywords a parameter rule adds. */
export type ParameterSchema = Record<string, unknown>;

export interface ParameterDeclaration {
  name: string;
  location: ParameterLocation;
  required: boolean;
  schema: ParameterSchema;
  description?: string;
}

const DECLARATIONS = Symbol('parameter-declarations');

type Declarations = Map<string, ParameterDeclaration>;

function ownDeclarations(prototype: object): Declarations {
  let declarations = Reflect.getOwnMetadata(DECLARATIONS, prototype) as Declarations | undefined;
  if (declarations === undefined) {
    declarations = new Map();
    Reflect.defineMetadata(DECLARATIONS, declarations, prototype);
  }
  return declarations;
}

function declare(
  prototype: object,
  property: string | symbol,
  change: (declaration: ParameterDeclaration) => void,
): void {
  const name = String(property);
  const declarations = ownDeclarations(prototype);
  let declaration = declarations.get(name);
  if (declaration === undefined) {
    declaration = { name, location: 'query', required: false, schema: {} };
    declarations.set(name, declaration);
  }
  change(declaration);
}

/** A property decorator adding schema keywords (and `required`) to the property's declaration. */
export const DeclaredSchema =
  (schema: ParameterSchema, options: { required?: boolean } = {}): PropertyDecorator =>
  (target, property) =>
    declare(target, property, (declaration) => {
      Object.assign(declaration.schema, schema);
      if (options.required) declaration.required = true;
    });

/** The parameter is read from the path (e.g. `:session_id`); parameters are read from the query string otherwise. */
export const InPath = (): PropertyDecorator => (target, property) =>
  declare(target, property, (declaration) => {
    declaration.location = 'path';
    declaration.required = true;
  });

/** The parameter is a request header, named by the (lower-case) property name. */
export const InHeader = (): PropertyDecorator => (target, property) =>
  declare(target, property, (declaration) => (declaration.location = 'header'));

/** What the OpenAPI document says about the parameter beyond its rules. */
export const Described =
  (description: string): PropertyDecorator =>
  (target, property) =>
    declare(target, property, (declaration) => (declaration.description = description));

const LOCATION_ORDER: readonly ParameterLocation[] = ['path', 'query', 'header'];

/**
 * Every parameter of `dto` in FastAPI's order: path parameters, then query, then headers; within each, in
 * declaration order, a base class's before its subclass's (the origin's parameters first, the project's after).
 * Each carries its default (the property's initializer) in its schema.
 */
export function declaredParameters(dto: new () => object): ParameterDeclaration[] {
  const chain: object[] = [];
  for (let prototype = dto.prototype; prototype && prototype !== Object.prototype;) {
    chain.unshift(prototype);
    prototype = Object.getPrototypeOf(prototype);
  }
  const byName = new Map<string, ParameterDeclaration>();
  for (const prototype of chain) {
    for (const declaration of ownDeclarations(prototype).values()) {
      const inherited = byName.get(declaration.name);
      byName.set(declaration.name, inherited ? merged(inherited, declaration) : { ...declaration });
    }
  }
  const defaults = new dto() as Record<string, unknown>;
  const declarations = [...byName.values()].map((declaration) => {
    const value = defaults[declaration.name];
    return value === undefined
      ? declaration
      : { ...declaration, schema: { ...declaration.schema, default: value } };
  });
  return LOCATION_ORDER.flatMap((location) =>
    declarations.filter((declaration) => declaration.location === location),
  );
}

function merged(base: ParameterDeclaration, own: ParameterDeclaration): ParameterDeclaration {
  return { ...base, ...own, schema: { ...base.schema, ...own.schema } };
}
