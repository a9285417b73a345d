import { Controller, Get, Header, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorDetailSchema, OPERATOR_TOKEN_SCHEME, Parameters, ValidationErrorSchema } from '@app/http';
import { DeadLetterIdParams, DeadLetterListParams } from './dto/operations-params';
import {
  DEAD_LETTER_BODY,
  DEAD_LETTER_LIST_BODY,
  GENERATIONS_BODY,
  REDRIVE_BODY,
} from './openapi/response-bodies';
import { DeadLetterBody } from './dead-letter-body';
import { OperatorTokenGuard } from './operator-token.guard';
import { GenerationsBody, OperationsService, REDRIVE_COMMAND, RedriveBody } from './operations.service';

/** What operators read changes under them (a re-drive, a rebuild): no cache keeps it. */
const NoStore = () => Header('Cache-Control', 'no-store');

@ApiTags('operations')
@Controller('operations')
@UseGuards(OperatorTokenGuard)
@ApiSecurity(OPERATOR_TOKEN_SCHEME)
@ApiUnauthorizedResponse({ type: ErrorDetailSchema, description: 'No operator token, or not this one.' })
@ApiUnprocessableEntityResponse({ type: ValidationErrorSchema, description: 'Validation Error' })
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  @Get('dead-letters')
  @NoStore()
  @ApiOperation({
    summary: 'List dead letters',
    description:
      'Records the projector gave up on, oldest first; letters already re-driven only when asked for.',
  })
  @ApiOkResponse({ schema: DEAD_LETTER_LIST_BODY, description: 'Successful Response' })
  list(@Parameters() params: DeadLetterListParams): Promise<{ dead_letters: DeadLetterBody[] }> {
    return this.operations.deadLetters({
      reason: params.reason,
      sessionId: params.session_id,
      includeRedriven: params.include_redriven,
      limit: params.limit,
    });
  }

  @Get('dead-letters/:id')
  @NoStore()
  @ApiOperation({ summary: 'Show one dead letter' })
  @ApiOkResponse({ schema: DEAD_LETTER_BODY, description: 'Successful Response' })
  @ApiNotFoundResponse({ type: ErrorDetailSchema, description: 'No dead letter has this id.' })
  show(@Parameters() params: DeadLetterIdParams): Promise<DeadLetterBody> {
    return this.operations.deadLetter(params.id);
  }

  @Post('dead-letters/:id/redrive')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Re-drive a dead letter',
    description: `Sends the letter back through the projection engine once its cause is fixed. Projected, it leaves the listing; failing again, it becomes a new letter with its new reason (200 either way: \`outcome\` says which). Only a process that runs a projector re-drives (the embedded store); elsewhere (the production query API) the answer is 409: use \`${REDRIVE_COMMAND} <id>\`.`,
  })
  @ApiOkResponse({ schema: REDRIVE_BODY, description: 'Successful Response' })
  @ApiNotFoundResponse({ type: ErrorDetailSchema, description: 'No dead letter has this id.' })
  @ApiConflictResponse({
    type: ErrorDetailSchema,
    description: 'Already re-driven, or this process runs no projector (use the CLI).',
  })
  redrive(@Parameters() params: DeadLetterIdParams): Promise<RedriveBody> {
    return this.operations.redrive(params.id);
  }

  @Get('generations')
  @NoStore()
  @ApiOperation({
    summary: 'List view generations',
    description:
      "Every generation, the active one marked, each with the stamp (fold version, shape) that built it and whether it is this build's.",
  })
  @ApiOkResponse({ schema: GENERATIONS_BODY, description: 'Successful Response' })
  generations(): Promise<GenerationsBody> {
    return this.operations.viewGenerations();
  }
}
