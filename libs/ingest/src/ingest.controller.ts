import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { IngestReceipt, IngestService } from './ingest.service';
import { IngestTokenGuard } from './ingest-token.guard';

@Controller('sessions/events')
@UseGuards(IngestTokenGuard)
export class IngestController {
  constructor(private readonly ingestService: IngestService) {}

  /** 202: the events are durable in the log; the views follow once the projector has folded them. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  ingest(@Body() body: unknown): Promise<IngestReceipt> {
    return this.ingestService.ingest(body);
  }
}
