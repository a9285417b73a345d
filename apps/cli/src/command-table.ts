import { CliCommand } from './command';
import { activateCommand } from './commands/activate.command';
import { deadLetterCommand, deadLettersCommand, redriveCommand } from './commands/dead-letters.command';
import { eventsCommand } from './commands/events.command';
import { generationsCommand } from './commands/generations.command';
import { reprojectCommand, verifyLogCommand } from './commands/log-recovery.command';
import { rebuildCommand } from './commands/rebuild.command';
import { verifyCommand } from './commands/verify.command';

/**
 * Every command, in the order the help lists them. A new command is a `CliCommand` in its own file beside these
 * and one entry here.
 */
export const COMMANDS: readonly CliCommand[] = [
  rebuildCommand,
  verifyCommand,
  eventsCommand,
  generationsCommand,
  activateCommand,
  deadLettersCommand,
  deadLetterCommand,
  redriveCommand,
  verifyLogCommand,
  reprojectCommand,
];
