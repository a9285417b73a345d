import { HttpException, HttpStatus } from '@nestjs/common';
import { assertNever } from '@app/domain';
import { isStoreFull, isStoreUnavailable } from '@app/ports';
import { STATUS_CODES } from 'node:http';
import { ApiError, ApiErrorCode } from './api-error';
import { RequestValidationError, ValidationIssue } from './request-validation-error';

/** What the client is sent for an error: FastAPI's `{"detail": ...}` body, a status and any headers. */
export interface ErrorResponse {
  status: number;
  body: { detail: string | ValidationIssue[] };
  headers: Readonly<Record<string, string>>;
  /** Unexpected errors are logged; the client only learns that something failed. */
  unexpected: boolean;
}

export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof RequestValidationError) {
    return answer(HttpStatus.UNPROCESSABLE_ENTITY, error.issues);
  }
  if (error instanceof ApiError) {
    return answer(statusOf(error.code), error.message, error.headers);
  }
  if (error instanceof HttpException) {
    return answer(error.getStatus(), httpExceptionDetail(error));
  }
  if (isStoreFull(error)) {
    // Refused, not lost: nothing of the request was kept and everything acknowledged before stays. 507 names the
    // cause; the client may retry once an operator freed space.
    return answer(
      HttpStatus.INSUFFICIENT_STORAGE,
      'the session store is out of disk space: nothing of this request was stored; retry once space is freed',
    );
  }
  if (isStoreUnavailable(error)) {
    // The store is down or unreachable, not the request wrong: the client may retry. The driver's message names
    // hosts and ports, which are no business of the caller's.
    return answer(HttpStatus.SERVICE_UNAVAILABLE, 'the session store cannot be reached; try again shortly');
  }
  const clientErrorStatus = frameworkClientErrorStatus(error);
  if (clientErrorStatus !== undefined) {
    return answer(clientErrorStatus, (error as Error).message);
  }
  return { ...answer(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal Server Error'), unexpected: true };
}

export function statusOf(code: ApiErrorCode): number {
  switch (code) {
    case ApiErrorCode.BadRequest:
      return HttpStatus.BAD_REQUEST;
    case ApiErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case ApiErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case ApiErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ApiErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ApiErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ApiErrorCode.TooManyRequests:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ApiErrorCode.Unavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    default:
      return assertNever(code);
  }
}

function answer(
  status: number,
  detail: string | ValidationIssue[],
  headers: Readonly<Record<string, string>> = {},
): ErrorResponse {
  return { status, body: { detail }, headers, unexpected: false };
}

// Nest's own exceptions (an unknown route, a malformed JSON body) carry their message in varying places.
function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return typeof message === 'string' ? message : (STATUS_CODES[exception.getStatus()] ?? 'Error');
}

// Fastify refuses some requests before any handler runs (unsupported media type, body too large) with an
// error carrying a 4xx `statusCode`; its message is written for the client.
function frameworkClientErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
