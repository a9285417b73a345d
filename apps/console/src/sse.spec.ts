import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { EventStreamParser, openChangeStream, ServerSentEvent, StreamState } from './sse';

describe(EventStreamParser.name, () => {
  it('reads events, ids and comments split anywhere across chunks', () => {
    const stream =
      ': subscribed\n\nevent: session.updated\nid: 0:13\ndata: {"session_id":"a",\ndata: "version":2}\n\n' +
      ': heartbeat\n\nevent: session.deleted\r\nid: 0:14\r\ndata: {"session_id":"b"}\r\n\r\n';
    for (let size = 1; size <= stream.length; size += 7) {
      const parser = new EventStreamParser();
      const items = [];
      for (let at = 0; at < stream.length; at += size)
        items.push(...parser.push(stream.slice(at, at + size)));
      expect(items).toEqual([
        { comment: 'subscribed' },
        { event: { event: 'session.updated', id: '0:13', data: '{"session_id":"a",\n"version":2}' } },
        { comment: 'heartbeat' },
        { event: { event: 'session.deleted', id: '0:14', data: '{"session_id":"b"}' } },
      ]);
    }
  });

  it('keeps the last id for later events without one, and names an unnamed event "message"', () => {
    const parser = new EventStreamParser();
    expect(parser.push('id: 7\ndata: x\n\ndata:y\n\n')).toEqual([
      { event: { event: 'message', id: '7', data: 'x' } },
      { event: { event: 'message', id: '7', data: 'y' } },
    ]);
  });

  it('dispatches nothing for a block without data', () => {
    expect(new EventStreamParser().push('event: session.updated\nid: 3\n\n')).toEqual([]);
  });
});

describe(openChangeStream.name, () => {
  let server: Server;
  let requests: IncomingMessage['headers'][];

  async function serve(answer: (count: number, response: ServerResponse) => void): Promise<string> {
    requests = [];
    server = createServer((request, response) => {
      requests.push(request.headers);
      answer(requests.length, response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sessions/changes?agent_id=a`;
  }

  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it("sends the caller's header, and resumes after a drop from the last id it got", async () => {
    const url = await serve((count, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const block = `: subscribed\n\nevent: session.updated\nid: 0:${count}\ndata: {"version":${count}}\n\n`;
      // The first stream ends after one change; the second stays open.
      if (count === 1) response.end(block);
      else response.write(block);
    });
    const events: ServerSentEvent[] = [];
    const states: StreamState['kind'][] = [];
    const stop = openChangeStream({
      url,
      headers: { 'x-user-id': 'u1' },
      onEvent: (event) => events.push(event),
      onState: (state) => states.push(state.kind),
      describeRefusal: async (response) => String(response.status),
    });
    await until(() => events.length === 2);
    stop();
    expect(requests.map((headers) => [headers['x-user-id'], headers['last-event-id']])).toEqual([
      ['u1', undefined],
      ['u1', '0:1'],
    ]);
    expect(events.map((event) => event.data)).toEqual(['{"version":1}', '{"version":2}']);
    expect(states).toEqual(['connecting', 'live', 'retrying', 'connecting', 'live']);
  });

  it("reports a refusal with the API's detail", async () => {
    const url = await serve((_count, response) => {
      response.writeHead(422, { 'content-type': 'application/json' }).end('{"detail":"no"}');
    });
    const states: StreamState[] = [];
    const stop = openChangeStream({
      url,
      headers: {},
      onEvent: () => undefined,
      onState: (state) => states.push(state),
      describeRefusal: async (response) => `${response.status} ${await response.text()}`,
    });
    await until(() => states.length === 2);
    stop();
    expect(states).toEqual([{ kind: 'connecting' }, { kind: 'refused', reason: '422 {"detail":"no"}' }]);
  });
});
