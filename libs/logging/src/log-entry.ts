/** Fields a log line carries beside its message: top-level keys in JSON, already spelled out in the text. */
export type LogFields = Record<string, string | number | undefined>;

/** A message with structured fields; passed to any Nest logger call in place of the message string. */
export class LogEntry {
  constructor(
    readonly message: string,
    readonly fields: LogFields,
  ) {}
}
