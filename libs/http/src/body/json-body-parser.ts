import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError, ValidationIssue } from '../errors/request-validation-error';

/**
 * Fastify's own JSON parser (which refuses `__proto__` and `constructor.prototype` keys), with its refusals answered
 * as FastAPI answers a body it cannot read: an empty one is a missing body, one that does not parse is `json_invalid`
 * at the position the parser stopped, both 422 in the `{"detail": [...]}` shape.
 */
export function parseJsonBodiesAsFastApi(app: NestFastifyApplication): void {
  // Nest adds its body parsers when the app initialises unless they are there already: add them now, then
  // replace its JSON one.
  app.getHttpAdapter().registerParserMiddleware();
  const fastify = app.getHttpAdapter().getInstance();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    // As bytes: decoded as a string, a body that is not UTF-8 no longer matches its Content-Length (a 400).
    { parseAs: 'buffer' },
    (
      request: FastifyRequest,
      body: string | Buffer,
      done: (error: Error | null, value?: unknown) => void,
    ) => {
      const text = body.toString();
      parse(request, text, (error, value) => {
        if (error === null) done(null, value);
        else done(new RequestValidationError([bodyIssue(text)]));
      });
    },
  );
}

function bodyIssue(text: string): ValidationIssue {
  if (text.length === 0) return { type: 'missing', loc: ['body'], msg: 'Field required', input: null };
  const reason = parseFailure(text);
  return {
    type: 'json_invalid',
    loc: ['body', reason.position],
    msg: 'JSON decode error',
    input: {},
    ctx: { error: reason.message },
  };
}

/** Why JSON.parse refused the text and where, as far as its message tells (the end of the text otherwise). */
function parseFailure(text: string): { message: string; position: number } {
  try {
    JSON.parse(text);
    // Valid JSON that the parser still refused: a prototype-poisoning key.
    return { message: 'Object contains forbidden prototype property', position: 0 };
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    return { message, position: position === undefined ? text.length : Number(position) };
  }
}
