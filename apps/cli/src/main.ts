import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { InvalidEnvironmentError, loadConfig } from '@app/config';
import { CliModule } from './cli.module';
import { CommandLine, runCommand, USAGE, UsageError } from './commands';

function parseCommandLine(argv: string[]): CommandLine {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      session: { type: 'string' },
      sample: { type: 'string' },
      'after-seq': { type: 'string' },
      limit: { type: 'string' },
      'grace-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command = 'help', ...rest] = positionals;
  if (values.help) return { command: 'help', positionals: [], options: {} };
  const { help: _help, ...options } = values;
  return { command, positionals: rest, options: options as Record<string, string | undefined> };
}

async function main(): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (line.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    return await runCommand(app, line);
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof InvalidEnvironmentError) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
