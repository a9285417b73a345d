import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
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
import { LOG_POSITION_HEADER } from '@app/freshness';
import { ErrorDetailSchema, INGEST_TOKEN_SCHEME, ValidationErrorSchema } from '@app/http';
import type { FastifyReply } from 'fastify';
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
    description:
      'The events are durable in the log. `position` (also the `Log-Position` header) is where the log stands past them: read with it as `min_position` to see them.',
    schema: {
      type: 'object',
      required: ['accepted', 'position'],
      properties: {
        accepted: { type: 'integer', minimum: 1, maximum: MAX_EVENTS_PER_BATCH },
        position: { type: 'string', description: 'An opaque log position.' },
      },
    },
    headers: {
      [LOG_POSITION_HEADER]: { schema: { type: 'string' }, description: "The same position as the body's." },
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
  async ingest(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IngestReceipt> {
    const receipt = await this.ingestService.ingest(body);
    void reply.header(LOG_POSITION_HEADER, receipt.position);
    return receipt;
  }
}
