import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '@app/config';
import { AppLogger, describeStartupFailure } from '@app/logging';
import { CliModule } from './cli.module';
import { UsageError } from './command';
import { CommandUsageError, helpText, Invocation, parseCommandLine } from './command-line';
import { COMMANDS } from './command-table';
import { assertStoreExists, StoreMissingError } from './store-presence';

const USAGE_EXIT = 2;

async function run(invocation: Extract<Invocation, { kind: 'run' }>): Promise<number> {
  const { command } = invocation;
  let config: AppConfig | undefined;
  try {
    config = loadConfig(process.env, command.needs === 'storage' ? 'storage' : 'app');
    await assertStoreExists(config);
    // Only warnings and errors: stdout carries the command's result.
    const logger = new AppLogger({ logLevel: 'warn', logFormat: config.logFormat });
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, command.needs), {
      logger,
      abortOnError: false,
    });
    try {
      return await command.run({
        app,
        positionals: invocation.positionals,
        options: invocation.options,
        json: invocation.json,
        report: (json, text) => console.log(invocation.json ? JSON.stringify(json) : text),
      });
    } finally {
      await app.close();
    }
  } catch (error) {
    if (error instanceof UsageError) throw new CommandUsageError(error.message, command);
    if (error instanceof StoreMissingError) {
      console.error(error.message);
      return USAGE_EXIT;
    }
    console.error(describeStartupFailure(error, config, command.name));
    return 1;
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    const invocation = parseCommandLine(argv, COMMANDS);
    if (invocation.kind === 'help') {
      console.log(helpText(COMMANDS, invocation.command));
      return 0;
    }
    return await run(invocation);
  } catch (error) {
    if (!(error instanceof CommandUsageError)) throw error;
    console.error(`${error.message}\n\n${helpText(COMMANDS, error.command)}`);
    return USAGE_EXIT;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
