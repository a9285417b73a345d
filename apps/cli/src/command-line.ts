import { parseArgs, ParseArgsConfig } from 'node:util';
import { CliCommand, OptionSpec, OptionValues, UsageError } from './command';

/** Options every command takes, declared once. */
const COMMON_OPTIONS: Record<string, OptionSpec & { short?: string }> = {
  json: { type: 'boolean', help: 'print the result as one JSON document (events: JSON Lines either way)' },
  help: { type: 'boolean', short: 'h', help: "show the command's help" },
};

export type Invocation =
  | { kind: 'help'; command?: CliCommand }
  | { kind: 'run'; command: CliCommand; positionals: string[]; options: OptionValues; json: boolean };

/** A usage mistake about one command: its help follows the reason. */
export class CommandUsageError extends UsageError {
  constructor(
    message: string,
    readonly command?: CliCommand,
  ) {
    super(message);
  }
}

/** Reads `<command> [arguments] [options]`; each command accepts only the options it declares and the common ones. */
export function parseCommandLine(argv: string[], commands: readonly CliCommand[]): Invocation {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return { kind: 'help' };
  if (name === 'help') return { kind: 'help', command: rest[0] ? find(commands, rest[0]) : undefined };
  const command = find(commands, name);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: parseArgsOptions(command),
    });
  } catch (error) {
    // Node's message goes on to explain `--`; its first sentence is the mistake.
    throw new CommandUsageError((error as Error).message.split('. ')[0], command);
  }
  const { help, json, ...options } = parsed.values;
  if (help) return { kind: 'help', command };
  const accepted = command.arguments ?? [];
  if (parsed.positionals.length > accepted.length) {
    const expected = accepted.length === 0 ? 'no arguments' : accepted.map((a) => `<${a.name}>`).join(' ');
    throw new CommandUsageError(
      `${command.name} takes ${expected}, not ${parsed.positionals.join(' ')}`,
      command,
    );
  }
  // Declared without `multiple`, every value is a string or a boolean.
  return {
    kind: 'run',
    command,
    positionals: parsed.positionals,
    options: options as OptionValues,
    json: json === true,
  };
}

function find(commands: readonly CliCommand[], name: string): CliCommand {
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) throw new CommandUsageError(`unknown command ${JSON.stringify(name)}`);
  return command;
}

function parseArgsOptions(command: CliCommand): NonNullable<ParseArgsConfig['options']> {
  const all = { ...command.options, ...COMMON_OPTIONS };
  return Object.fromEntries(
    Object.entries(all).map(([name, spec]) => [
      name,
      { type: spec.type, ...('short' in spec && spec.short ? { short: spec.short } : {}) },
    ]),
  );
}

const PROGRAM = 'session-store';

/** The list of commands, or one command's usage, options and details. */
export function helpText(commands: readonly CliCommand[], command?: CliCommand): string {
  return command ? commandHelp(command) : overview(commands);
}

function overview(commands: readonly CliCommand[]): string {
  return [
    `Usage: ${PROGRAM} <command> [arguments] [options]      (from a checkout: npm run cli -- <command> ...)`,
    '',
    'Commands:',
    ...table(commands.map((command) => [command.name, command.summary])),
    '',
    'Options of every command:',
    ...table(optionRows(COMMON_OPTIONS)),
    '',
    `\`${PROGRAM} <command> --help\` shows a command's own options.`,
    'The store comes from the environment, as for the apps: DATA_DIR for the embedded store (store.db in it), or',
    'MONGODB_URI and MONGODB_DATABASE for MongoDB (KAFKA_BROKERS is not needed). A store that does not exist there',
    'is refused, never created.',
    'Exit codes: 0 done; 1 the check failed (verify) or the store could not be reached; 2 a usage mistake or no store.',
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  const args = (command.arguments ?? []).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`));
  return [
    `Usage: ${PROGRAM} ${[command.name, ...args].join(' ')} [options]`,
    '',
    `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`,
    '',
    'Options:',
    ...table(optionRows({ ...command.options, ...COMMON_OPTIONS })),
    ...(command.details ? ['', command.details] : []),
  ].join('\n');
}

function optionRows(options: Record<string, OptionSpec & { short?: string }>): [string, string][] {
  return Object.entries(options).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`,
    spec.help,
  ]);
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`);
}
