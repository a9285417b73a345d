import type { DeadLetterSource } from './dead-letters';

/** One raw entry of the event log, as the transport delivered it: nothing about it is trusted yet. */
export interface LogRecord {
  key: string | null;
  value: Buffer;
  source: DeadLetterSource;
}
