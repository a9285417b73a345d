import { connect } from 'node:net';

/** An HTTP/1.1 answer as it came off the socket: header names lower-cased, repeated headers kept in order. */
export interface RawAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** The first value of header `name`, or undefined. */
export function headerOf(answer: RawAnswer, name: string): string | undefined {
  return answer.headers.find(([key]) => key === name)?.[1];
}

/**
 * Sends one request exactly as written, `head` being the request line and header lines without the final blank
 * line. Written by hand because fetch and node:http normalise what a hostile or unusual client sends: a query key
 * without `=`, a header given twice, a method on a path that does not serve it.
 */
export function sendRaw(baseUrl: string, head: string, body = ''): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const request =
    `${head}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n` +
    (body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`) +
    `\r\n${body}`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseAnswer(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(request);
  });
}

function parseAnswer(raw: Buffer): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no HTTP header block in ${JSON.stringify(raw.toString('latin1'))}`);
  const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = headerLines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  let body = raw.subarray(split + 4);
  if (headers.some(([name, value]) => name === 'transfer-encoding' && /chunked/i.test(value))) {
    body = dechunk(body);
  }
  return { status, headers, body: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
