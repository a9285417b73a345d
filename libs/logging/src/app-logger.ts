import { AppConfig, LOG_LEVELS } from '@app/config';
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { LogEntry } from './log-entry';
import { currentRequestId } from './request-context';

export type LogSettings = Pick<AppConfig, 'logLevel' | 'logFormat'>;

/**
 * Nest's own reports of its wiring (modules loaded, routes mapped, "starting", "started"): useful when debugging the
 * wiring, noise otherwise, so they are logged at debug.
 */
const WIRING_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * Contexts whose errors Nest also rethrows to the caller that started the app, which reports each once as a start-up
 * failure; logged at error they would print the same failure twice, with a stack trace.
 */
const RETHROWN_CONTEXTS = new Set(['ExceptionHandler', 'NestApplication']);

/** The level names log shippers expect; Nest calls `info` `log`. */
const JSON_LEVEL_NAMES: Partial<Record<LogLevel, string>> = { log: 'info' };

/**
 * The apps' logger: Nest's ConsoleLogger, as text (coloured only on a terminal) or one JSON object per line
 * (LOG_FORMAT), from LOG_LEVEL up. A JSON line has `time`, `level`, `context`, `message`, the `request_id` of the
 * request it belongs to, and the fields of a {@link LogEntry}.
 */
export class AppLogger extends ConsoleLogger {
  constructor(settings: LogSettings, terminal: boolean = process.stdout.isTTY === true) {
    const json = settings.logFormat === 'json';
    super({
      logLevels: levelsFrom(settings.logLevel),
      json,
      colors: !json && terminal,
      prefix: 'session-store',
    });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    if (WIRING_CONTEXTS.has(contextOf(rest))) super.debug(message, ...rest);
    else super.log(message, ...rest);
  }

  override error(message: unknown, ...rest: unknown[]): void {
    if (RETHROWN_CONTEXTS.has(contextOf(rest))) super.debug(message, ...rest);
    else super.error(message, ...rest);
  }

  /**
   * A line printed whatever LOG_LEVEL says, at the `log` level: where the app listens. An operator who asked for
   * warnings only still needs to know the process is up and where.
   */
  announce(message: string | LogEntry, context: string): void {
    this.printMessages([message], context, 'log');
  }

  /** Nest's declared return type names its own keys; the object is only ever serialised, so ours replace them. */
  protected override getJsonLogObject(
    message: unknown,
    options: { context: string; logLevel: LogLevel; errorStack?: unknown },
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const entry = message instanceof LogEntry ? message : undefined;
    return {
      time: new Date().toISOString(),
      level: JSON_LEVEL_NAMES[options.logLevel] ?? options.logLevel,
      context: options.context || undefined,
      message: entry ? entry.message : message instanceof Error ? message.message : message,
      request_id: currentRequestId(),
      ...entry?.fields,
      stack: options.errorStack ?? (message instanceof Error ? message.stack : undefined),
    } as unknown as ReturnType<ConsoleLogger['getJsonLogObject']>;
  }

  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    return super.stringifyMessage(message instanceof LogEntry ? message.message : message, logLevel);
  }
}

/** Nest enables levels by list; LOG_LEVEL names the least severe one wanted. */
function levelsFrom(level: LogSettings['logLevel']): LogLevel[] {
  return ['fatal', ...LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1)];
}

/** Nest's loggers pass the context as the last argument. */
function contextOf(rest: unknown[]): string {
  const last = rest[rest.length - 1];
  return typeof last === 'string' ? last : '';
}
