import { payloadText, StoredDeadLetter } from '@app/ports';
import { DeadLetterBody } from './dead-letter-body-shape';

export type { DeadLetterBody } from './dead-letter-body-shape';

export function deadLetterBody(letter: StoredDeadLetter): DeadLetterBody {
  const text = payloadText(letter.payload);
  return {
    id: letter.id,
    reason: letter.reason,
    detail: letter.detail,
    failed_at: letter.failedAt,
    redriven_at: letter.redrivenAt ?? null,
    session_id: letter.sessionId ?? null,
    event_id: letter.eventId ?? null,
    key: letter.key,
    source: {
      topic: letter.source.topic,
      partition: letter.source.partition ?? null,
      offset: letter.source.offset ?? null,
    },
    ...(text !== undefined ? { payload: text } : { payload_base64: letter.payload.toString('base64') }),
  };
}
