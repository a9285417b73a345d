// The change stream (`GET /sessions/changes`) read with fetch. EventSource cannot send request headers, and the
// API names the caller by one (x-user-id, or Authorization in JWT mode), so the page reads the stream itself and
// resumes after a drop with Last-Event-ID, as EventSource would.

export interface ServerSentEvent {
  event: string;
  id: string | null;
  data: string;
}

/** What a stream carries: events, and comment lines (`: subscribed`, `: heartbeat`). */
export type StreamItem = { event: ServerSentEvent } | { comment: string };

/** The text/event-stream format (WHATWG HTML, "Parsing an event stream"), fed in chunks as they arrive. */
export class EventStreamParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;

  push(chunk: string): StreamItem[] {
    this.buffer += chunk;
    // A trailing CR may be the first half of a CRLF: wait for the next chunk before reading it as a line end.
    const complete = this.buffer.endsWith('\r') ? this.buffer.length - 1 : this.buffer.length;
    const lines = this.buffer.slice(0, complete).split(/\r\n|\r|\n/);
    // The last piece has no line end yet (or is empty after one): keep it for the next chunk.
    this.buffer = (lines.pop() ?? '') + this.buffer.slice(complete);
    const items: StreamItem[] = [];
    for (const line of lines) {
      if (line === '') {
        if (this.data.length > 0) {
          items.push({ event: { event: this.event || 'message', id: this.id, data: this.data.join('\n') } });
        }
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) {
        items.push({ comment: line.slice(1).trim() });
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id' && !value.includes('\0')) this.id = value;
    }
    return items;
  }
}

export type StreamState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'retrying'; reason: string }
  | { kind: 'refused'; reason: string };

export interface ChangeStreamOptions {
  url: string;
  headers: Record<string, string>;
  onEvent: (event: ServerSentEvent) => void;
  onState: (state: StreamState) => void;
  /** Builds the error the page shows for a refusal (a non-200 answer), which is not retried. */
  describeRefusal: (response: Response) => Promise<string>;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000];

/** Keeps the stream open until the returned function is called; reconnects after drops, resuming from the last id. */
export function openChangeStream(options: ChangeStreamOptions): () => void {
  const controller = new AbortController();
  let lastEventId: string | null = null;
  let failures = 0;

  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      options.onState({ kind: 'connecting' });
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
        if (lastEventId !== null) headers['last-event-id'] = lastEventId;
        const response = await fetch(options.url, { headers, signal: controller.signal, cache: 'no-store' });
        if (!response.ok || !response.body) {
          options.onState({ kind: 'refused', reason: await options.describeRefusal(response) });
          return;
        }
        const parser = new EventStreamParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const item of parser.push(value)) {
            if ('event' in item) {
              if (item.event.id !== null) lastEventId = item.event.id;
              options.onEvent(item.event);
            } else if (item.comment === 'subscribed') {
              // The API's first line once changes can arrive: from then on the page is live.
              failures = 0;
              options.onState({ kind: 'live' });
            }
          }
        }
        options.onState({ kind: 'retrying', reason: 'the server ended the stream' });
      } catch (error) {
        if (controller.signal.aborted) return;
        options.onState({ kind: 'retrying', reason: (error as Error).message });
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]));
      failures += 1;
    }
  };
  void connect();
  return () => controller.abort();
}
