import { get, IncomingMessage } from 'node:http';

/** One block of a server-sent event stream: an event, or a comment line (`: heartbeat`). */
export interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

export type SseResponse =
  | { kind: 'stream'; status: number; headers: IncomingMessage['headers']; stream: SseStream }
  | { kind: 'refused'; status: number; headers: IncomingMessage['headers']; body: unknown };

/** Opens `url` as an EventSource would, and tells a stream from an error response. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseResponse> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status === 200 && String(response.headers['content-type']).startsWith('text/event-stream')) {
        resolve({
          kind: 'stream',
          status,
          headers: response.headers,
          stream: new SseStream(response, () => request.destroy()),
        });
        return;
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ kind: 'refused', status, headers: response.headers, body: JSON.parse(body) }),
      );
    });
    request.on('error', reject);
  });
}

export class SseStream {
  private readonly received: SseMessage[] = [];
  private readonly waiters: (() => void)[] = [];
  private buffer = '';
  private ended = false;

  constructor(
    response: IncomingMessage,
    private readonly disconnect: () => void,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.parse(chunk));
    response.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  /** Whether the server ended the stream. */
  get closed(): boolean {
    return this.ended;
  }

  /** The first message not yet taken that matches, waiting for it if need be; skipped ones are dropped. */
  async next(matches: (message: SseMessage) => boolean = () => true): Promise<SseMessage> {
    for (;;) {
      const index = this.received.findIndex(matches);
      if (index !== -1) return this.received.splice(0, index + 1)[index];
      if (this.ended) throw new Error('the stream ended before the expected message');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The next event (not a comment) of `type`. */
  nextEvent(type: string): Promise<SseMessage> {
    return this.next((message) => message.event === type);
  }

  /** The next `count` events (comments skipped), in the order they came. */
  async nextEvents(count: number): Promise<SseMessage[]> {
    const events: SseMessage[] = [];
    while (events.length < count) events.push(await this.next((message) => message.event !== undefined));
    return events;
  }

  /** Every message received and not yet taken, without waiting. */
  drain(): SseMessage[] {
    return this.received.splice(0);
  }

  close(): void {
    this.disconnect();
  }

  private parse(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const message = parseBlock(block);
      if (message) this.received.push(message);
    }
    this.wake();
  }

  private wake(): void {
    this.waiters.splice(0).forEach((resolve) => resolve());
  }
}

function parseBlock(block: string): SseMessage | undefined {
  const message: SseMessage = {};
  for (const line of block.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(':')) {
      message.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') message.event = value;
    else if (field === 'id') message.id = value;
    else if (field === 'data')
      message.data = message.data === undefined ? value : `${message.data}\n${value}`;
  }
  return Object.keys(message).length > 0 ? message : undefined;
}
