import { payloadText, StoredDeadLetter } from '@app/ports';

/** A dead letter as the operators' API answers it: snake_case, the payload as text when it is UTF-8, else base64. */
export interface DeadLetterBody {
  id: string;
  reason: string;
  detail: string;
  failed_at: string;
  redriven_at: string | null;
  session_id: string | null;
  event_id: string | null;
  key: string | null;
  source: { topic: string; partition: number | null; offset: string | null };
  payload?: string;
  payload_base64?: string;
}

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
