import { AppConfig, LONGEST_POSITION_WAIT_MS } from '@app/config';
import {
  ApiError,
  ApiErrorCode,
  DeclaredSchema,
  Described,
  DocumentedParameters,
  ErrorDetailSchema,
  InHeader,
  OptionalInteger,
  OptionalText,
  RequestValidationError,
  Satisfies,
  validatedParameters,
  ValidationIssue,
} from '@app/http';
import {
  formatPositionToken,
  isPositionToken,
  LogPosition,
  MAX_POSITION_TOKEN_LENGTH,
  mergePositions,
  parsePositionToken,
  POSITION_TOKEN_PATTERN,
} from '@app/ports';
import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { HttpArgumentsHost } from '@nestjs/common/interfaces';
import { ApiResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_WAIT_PARAM, MIN_POSITION_HEADER, MIN_POSITION_PARAM } from './freshness-header-names';
import { FRESHNESS_HEADER_DOCS, freshnessHeaders } from './freshness-headers';
import { Freshness, ProjectionWatcher, WaitOutcome } from './projection-watcher';

/** How long a client is told to wait before it asks again when the read model is behind. */
const RETRY_AFTER_SECONDS = 1;

const positionRule = (): PropertyDecorator => (target, property) => {
  DeclaredSchema({ pattern: POSITION_TOKEN_PATTERN })(target, property);
  Satisfies(
    'isLogPosition',
    (value) => value === undefined || isPositionToken(value),
    'not a log position this service handed out',
  )(target, property);
};

/** What every read takes to wait for a position: declared once, validated and documented from here. */
export class PositionParams {
  @Described(
    "Answer only once the projection has applied this log position: a write's `Log-Position` (ingest's header and `position`, the SDK's `emit` result). Past the wait, 503.",
  )
  @OptionalText(MAX_POSITION_TOKEN_LENGTH)
  @positionRule()
  [MIN_POSITION_PARAM]?: string;

  @Described(
    'How long to wait for `min_position`, in milliseconds; POSITION_WAIT_DEFAULT_MS without it, and never longer than POSITION_WAIT_MAX_MS.',
  )
  @OptionalInteger({ min: 0, max: LONGEST_POSITION_WAIT_MS })
  [MAX_WAIT_PARAM]?: number;

  @Described('`min_position` as a header; with both, the answer waits for both.')
  @InHeader()
  @OptionalText(MAX_POSITION_TOKEN_LENGTH)
  @positionRule()
  [MIN_POSITION_HEADER]?: string;
}

/**
 * Waits, when the read names a position, until the projection has applied it; then puts the freshness headers on
 * the answer (which a read of the store after this reflects at least). A position the projection has not applied
 * within the wait answers 503, one the log itself does not reach 422: never a silently stale 200.
 */
@Injectable()
export class ReadAfterPositionPipe implements PipeTransform<HttpArgumentsHost, Promise<Freshness>> {
  constructor(
    private readonly watcher: ProjectionWatcher,
    private readonly config: AppConfig,
  ) {}

  async transform(http: HttpArgumentsHost): Promise<Freshness> {
    const params = await validatedParameters(PositionParams, http.getRequest<FastifyRequest>());
    const named = namedPositions(params);
    // Set on the raw response: a server-sent event stream writes its head itself, and Node merges these into it.
    const raw = http.getResponse<FastifyReply>().raw;
    const outcome: WaitOutcome =
      named.length === 0
        ? { kind: 'applied', freshness: this.watcher.current() }
        : await this.watcher.awaitPosition(
            mergePositions(...named.map(({ position }) => position)),
            Math.min(
              params[MAX_WAIT_PARAM] ?? this.config.freshness.waitDefaultMs,
              this.config.freshness.waitMaxMs,
            ),
            clientGone(raw),
          );
    for (const [name, value] of Object.entries(freshnessHeaders(outcome.freshness)))
      raw.setHeader(name, value);
    switch (outcome.kind) {
      case 'applied':
        return outcome.freshness;
      case 'behind':
        throw new ApiError(ApiErrorCode.Unavailable, behindDetail(named, outcome.freshness), {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        });
      case 'beyond_log':
        throw new RequestValidationError(named.map(beyondLogIssue));
    }
  }
}

/** Fires when the connection closes before the response was sent: nobody is left to answer. */
function clientGone(response: FastifyReply['raw']): AbortSignal {
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  return gone.signal;
}

interface NamedPosition {
  loc: ['query' | 'header', string];
  token: string;
  position: LogPosition;
}

function namedPositions(params: PositionParams): NamedPosition[] {
  const named: NamedPosition[] = [];
  for (const [location, name] of [
    ['query', MIN_POSITION_PARAM],
    ['header', MIN_POSITION_HEADER],
  ] as const) {
    const token = params[name];
    if (token !== undefined)
      named.push({ loc: [location, name], token, position: parsePositionToken(token) });
  }
  return named;
}

function behindDetail(named: readonly NamedPosition[], freshness: Freshness): string {
  const wanted = formatPositionToken(mergePositions(...named.map(({ position }) => position)));
  return (
    `the read model has not yet applied position ${wanted} (applied: ${formatPositionToken(freshness.applied) || 'nothing'}; ` +
    `${freshness.eventsBehind} event(s) behind, the oldest waiting ${freshness.msBehind} ms): retry, or wait longer with ${MAX_WAIT_PARAM}`
  );
}

function beyondLogIssue({ loc, token }: NamedPosition): ValidationIssue {
  return {
    type: 'value_error',
    loc,
    msg: 'Value error, the event log does not reach this position: not one this service handed out',
    input: token,
  };
}

const httpHost = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp());

/**
 * The route reads the projection: it takes `min_position` (query or header) and `max_wait_ms`, waits as
 * ReadAfterPositionPipe says, and answers with the freshness headers; the parameter receives the Freshness. Put it
 * after `@Parameters()`, so the route's own parameters are checked before anything waits.
 */
export const ReadAfterPosition =
  (): ParameterDecorator =>
  (target: object, property: string | symbol | undefined, index: number): void => {
    httpHost(ReadAfterPositionPipe)(target, property, index);
    if (property === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, property)!;
    for (const decorate of [
      DocumentedParameters(PositionParams),
      ApiResponse({ status: 200, headers: FRESHNESS_HEADER_DOCS }),
      ApiServiceUnavailableResponse({
        type: ErrorDetailSchema,
        description:
          'The read model had not applied `min_position` within the wait (or the store cannot be reached). `Retry-After` and the freshness headers say how far behind it is.',
        headers: {
          'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before retrying.' },
          ...FRESHNESS_HEADER_DOCS,
        },
      }),
    ]) {
      decorate(target, property, descriptor);
    }
  };
