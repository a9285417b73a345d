import { EventStreamParser } from './sse';

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
