import { AppLogger } from './app-logger';
import { LogEntry } from './log-entry';
import { runInRequest } from './request-context';

/** What the logger writes to stdout and stderr while `work` runs. */
function captured(work: () => void): string[] {
  const written: string[] = [];
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => written.push(String(chunk)) > 0);
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => written.push(String(chunk)) > 0);
  try {
    work();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.join('').split('\n').filter(Boolean);
}

describe(AppLogger.name, () => {
  const json = (logLevel: 'log' | 'warn' | 'debug' = 'log') =>
    new AppLogger({ logLevel, logFormat: 'json' }, false);

  it('colours text only on a terminal', () => {
    const onTerminal = captured(() =>
      new AppLogger({ logLevel: 'log', logFormat: 'text' }, true).log('up', 'Probe'),
    );
    const inFile = captured(() =>
      new AppLogger({ logLevel: 'log', logFormat: 'text' }, false).log('up', 'Probe'),
    );
    expect(onTerminal[0]).toContain('\x1b[');
    expect(inFile[0]).not.toContain('\x1b[');
    expect(inFile[0]).toMatch(/LOG \[Probe\] up$/);
  });

  it('writes JSON with the fields of an entry and the request it belongs to', () => {
    const [line] = captured(() =>
      runInRequest('req-7', () => json().warn(new LogEntry('slow', { duration_ms: 812 }), 'Probe')),
    );
    expect(JSON.parse(line)).toEqual({
      time: expect.any(String),
      level: 'warn',
      context: 'Probe',
      message: 'slow',
      request_id: 'req-7',
      duration_ms: 812,
    });
  });

  it('names the default level info, and puts an error stack in the same object', () => {
    const lines = captured(() => {
      json().log('ready', 'Probe');
      json().error('failed', 'Error: failed\n    at here', 'Probe');
    });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'info', message: 'ready' }),
      expect.objectContaining({ level: 'error', message: 'failed', stack: 'Error: failed\n    at here' }),
    ]);
  });

  it("moves Nest's wiring lines, and the errors Nest also rethrows, to debug", () => {
    expect(captured(() => json().log('AppModule dependencies initialized', 'InstanceLoader'))).toEqual([]);
    expect(captured(() => json().error('Error: listen EADDRINUSE', 'NestApplication'))).toEqual([]);
    const debug = captured(() => json('debug').log('Mapped {/sessions, GET} route', 'RouterExplorer'));
    expect(JSON.parse(debug[0]).level).toBe('debug');
  });

  it('announces where it listens whatever the level', () => {
    const lines = captured(() => json('warn').announce('serving on http://127.0.0.1:3000', 'Probe'));
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      message: 'serving on http://127.0.0.1:3000',
    });
    expect(captured(() => json('warn').log('routine', 'Probe'))).toEqual([]);
  });
});
