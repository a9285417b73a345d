/**
 * One problem with the request, in the shape FastAPI (the seed's framework) answers with, so clients written
 * against it keep parsing our 422s: `{"type":"missing","loc":["query","agent_id"],"msg":"Field required","input":null}`.
 */
export interface ValidationIssue {
  /** Pydantic's error type: missing, string_type, int_parsing, less_than_equal, enum, string_too_long, ... */
  type: string;
  /** Where the input was: `["query", name]`, `["header", name]`, `["path", name]` or `["body", ...path]`. */
  loc: (string | number)[];
  msg: string;
  /** The offending value as received; null when it was missing. */
  input: unknown;
  /** The bound the input broke, e.g. `{"le": 200}`; absent when there is none. */
  ctx?: Record<string, unknown>;
}

/** Answered as HTTP 422 `{"detail": issues}`. */
export class RequestValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((issue) => `${issue.loc.join('.')}: ${issue.msg}`).join('; '));
    this.name = RequestValidationError.name;
  }
}
