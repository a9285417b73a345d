import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorDetailSchema, INGEST_TOKEN_SCHEME, ValidationErrorSchema } from '@app/http';
import { INGEST_BODY_LIMIT_BYTES, MAX_EVENTS_PER_BATCH } from './ingest-limits';
import { IngestReceipt, IngestService } from './ingest.service';

@ApiTags('ingest')
@Controller('sessions/events')
export class IngestController {
  constructor(private readonly ingestService: IngestService) {}

  /** 202: the events are durable in the log; the views follow once the projector has folded them. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Append session events',
    description:
      'A batch is taken whole or not at all: every event valid, no (session_id, seq) or event_id claimed twice or already held with other content. An event already held verbatim is acknowledged again (retries are safe).',
  })
  @ApiSecurity(INGEST_TOKEN_SCHEME)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['events'],
      properties: {
        events: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_EVENTS_PER_BATCH,
          items: { $ref: '#/components/schemas/SessionEvent' },
        },
      },
    },
    description: `At most ${MAX_EVENTS_PER_BATCH} events and ${INGEST_BODY_LIMIT_BYTES} bytes.`,
  })
  @ApiAcceptedResponse({
    description: 'The events are durable in the log.',
    schema: {
      type: 'object',
      required: ['accepted'],
      properties: { accepted: { type: 'integer', minimum: 1, maximum: MAX_EVENTS_PER_BATCH } },
    },
  })
  @ApiUnauthorizedResponse({ type: ErrorDetailSchema, description: 'No ingest token, or not this one.' })
  @ApiPayloadTooLargeResponse({
    type: ErrorDetailSchema,
    description: `The body is larger than ${INGEST_BODY_LIMIT_BYTES} bytes.`,
  })
  @ApiUnprocessableEntityResponse({
    type: ValidationErrorSchema,
    description:
      'An event is invalid, or claims a seq or event_id already held: every problem, with its loc.',
  })
  ingest(@Body() body: unknown): Promise<IngestReceipt> {
    return this.ingestService.ingest(body);
  }
}
