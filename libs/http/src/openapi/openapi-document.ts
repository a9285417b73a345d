import { AuthConfig } from '@app/config';
import { sessionEventSchemas, sessionViewSchemas } from '@app/domain';
import type { OpenAPIObject } from '@nestjs/swagger';
import { USER_ID_HEADER } from '../auth/header-caller-authenticator';

/** Marks an operation that needs a caller; the document says how per AUTH_MODE (see `finishDocument`). */
export const CALLER_EXTENSION = 'x-caller-required';

const ERROR_DETAIL = {
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDetail' } } },
};

/** What any route may answer before it runs (errors/client-error.ts, protection/). */
const HTTP_LAYER_RESPONSES = {
  '429': {
    description:
      'RATE_LIMIT_PER_MINUTE is set and this caller made more requests this minute (Retry-After says when to retry).',
    ...ERROR_DETAIL,
  },
  '431': {
    description: 'The request line and headers are larger than the server takes (16 KiB in all).',
    ...ERROR_DETAIL,
  },
};

/** The security scheme of AUTH_MODE=jwt. */
export const JWT_SCHEME = 'bearer';
/** The security scheme of POST /sessions/events (the ingest token, whatever AUTH_MODE is). */
export const INGEST_TOKEN_SCHEME = 'ingestToken';
/** The security scheme of the operators' routes, /operations/* (OPERATOR_TOKEN). */
export const OPERATOR_TOKEN_SCHEME = 'operatorToken';

const SCHEMA_REF = '#/components/schemas/';

/** The domain's generated schemas, added with everything they nest when a route refers to their root. */
const DOMAIN_SCHEMAS = [
  ['SessionView', sessionViewSchemas],
  ['SessionEvent', sessionEventSchemas],
] as const;
type Operation = Record<string, unknown> & {
  responses?: Record<string, unknown>;
  parameters?: Record<string, unknown>[];
  security?: Record<string, string[]>[];
  [CALLER_EXTENSION]?: boolean;
};

/**
 * The document Nest builds, made to say what this deployment does: the caller's identity as AUTH_MODE takes it
 * (a required `x-user-id` header in header mode, bearer security only in JWT mode), the list at the origin's path
 * `/sessions/`, the event schemas the ingest body refers to, and OpenAPI 3.1 (JSON Schema 2020-12: the event
 * schemas use `const` and type lists, and Nest's `nullable` is rewritten to a `null` type).
 */
export function finishDocument(document: OpenAPIObject, authMode: AuthConfig['mode']): OpenAPIObject {
  const finished = structuredClone(document) as OpenAPIObject;
  finished.openapi = '3.1.0';
  finished.paths = Object.fromEntries(
    Object.entries(finished.paths).map(([path, item]) => [path === '/sessions' ? '/sessions/' : path, item]),
  );
  const schemes: Record<string, unknown> = {};
  for (const item of Object.values(finished.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (operation === null || typeof operation !== 'object') continue;
      Object.assign(operation.responses as object, HTTP_LAYER_RESPONSES);
      if (operation[CALLER_EXTENSION]) {
        delete operation[CALLER_EXTENSION];
        requireCaller(operation, authMode, schemes);
      }
      if (operation.security?.some((requirement) => INGEST_TOKEN_SCHEME in requirement)) {
        schemes[INGEST_TOKEN_SCHEME] = {
          type: 'http',
          scheme: 'bearer',
          description: 'The ingest token (INGEST_TOKEN, or the generated `<DATA_DIR>/ingest-token`).',
        };
      }
      if (operation.security?.some((requirement) => OPERATOR_TOKEN_SCHEME in requirement)) {
        schemes[OPERATOR_TOKEN_SCHEME] = {
          type: 'http',
          scheme: 'bearer',
          description: 'The operator token (OPERATOR_TOKEN); a user identity is not one.',
        };
      }
    }
  }
  const components = (finished.components ??= {});
  components.securitySchemes = schemes as never;
  const referenced = JSON.stringify(finished.paths);
  for (const [name, schemas] of DOMAIN_SCHEMAS) {
    if (referenced.includes(`"${SCHEMA_REF}${name}"`))
      components.schemas = { ...schemas(), ...components.schemas } as never;
  }
  return withoutNullable(finished) as OpenAPIObject;
}

function requireCaller(
  operation: Operation,
  authMode: AuthConfig['mode'],
  schemes: Record<string, unknown>,
): void {
  switch (authMode) {
    case 'header':
      operation.parameters = [
        {
          name: USER_ID_HEADER,
          in: 'header',
          required: true,
          description:
            "The caller's user id, trusted as given (set by a gateway). Blank is a 401, missing a 422.",
          schema: { type: 'string' },
        },
        ...(operation.parameters ?? []),
      ];
      return;
    case 'jwt':
      operation.security = [{ [JWT_SCHEME]: [] }];
      schemes[JWT_SCHEME] = {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: "A JWT whose `sub` names the caller (JWT_SECRET's HS256 or JWT_PUBLIC_KEY's RS256).",
      };
      return;
  }
}

/** OpenAPI 3.0's `nullable: true` as 3.1 says it: `null` among the types, or beside the referenced schema. */
function withoutNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullable);
  if (value === null || typeof value !== 'object') return value;
  const { nullable, ...rest } = value as Record<string, unknown>;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, child]) => [key, withoutNullable(child)]),
  );
  if (nullable !== true) return converted;
  if (typeof converted.type === 'string') {
    const { enum: values, ...typed } = converted;
    return {
      ...typed,
      type: [converted.type, 'null'],
      ...(Array.isArray(values) ? { enum: [...values, null] } : {}),
    };
  }
  return { anyOf: [converted, { type: 'null' }] };
}
