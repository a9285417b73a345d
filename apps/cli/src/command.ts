import { INestApplicationContext } from '@nestjs/common';

/** A mistake in the command line: the reason and the command's usage, exit code 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Shown in the command's help; a string option's value is named in capitals: `--limit N`. */
  help: string;
  value?: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

/**
 * What a command needs of the environment. `storage`: the event archive and the view generations only (DATA_DIR, or
 * MONGODB_URI alone); `all-ports`: every port of the profile, the broker included (KAFKA_BROKERS and MONGODB_URI).
 */
export type CommandNeeds = 'storage' | 'all-ports';

export interface CommandContext {
  app: INestApplicationContext;
  positionals: string[];
  options: OptionValues;
  /** Prints the result: `json` as one JSON document under --json, `text` otherwise. */
  report(json: unknown, text: string): void;
  /** Whether --json was given, for commands whose output is already JSON Lines. */
  json: boolean;
}

/**
 * One CLI command, declared: its name, what it takes and what it needs. Adding a command is one such object in its
 * own file and one line in commands/index.ts; parsing, help, --json and the store checks come from the table.
 */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments as the help shows them, e.g. `<session_id>`; none when absent. */
  arguments?: { name: string; required: boolean }[];
  options: Record<string, OptionSpec>;
  /** Further help below the options: exit codes, what the output means. */
  details?: string;
  needs: CommandNeeds;
  /** Resolves to the process exit code. */
  run(context: CommandContext): Promise<number>;
}

/** A non-negative integer option, or `fallback` when absent. */
export function integerOption(options: OptionValues, name: string, fallback: number): number {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(value))
    throw new UsageError(`--${name} takes a non-negative integer, not ${JSON.stringify(raw)}`);
  return value;
}
