// The operators' API's dead-letter body, on its own: the console imports this file as it is (it depends on nothing).

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
