import { IsIn, IsObject, IsUUID } from 'class-validator';
import { IsDateTime, IsId, IsSafeInt } from './field-rules';
import { SESSION_EVENT_TYPES, SessionEventType } from './session-event';

/** The envelope alone; `data` is validated separately by the class its `type` names. */
export class SessionEventEnvelopeDto {
  @IsUUID() event_id!: string;
  @IsId() session_id!: string;
  @IsSafeInt(1) seq!: number;
  @IsIn(SESSION_EVENT_TYPES) type!: SessionEventType;
  @IsDateTime() occurred_at!: string;
  @IsSafeInt(1) schema_version!: number;
  @IsObject() data!: object;
}
