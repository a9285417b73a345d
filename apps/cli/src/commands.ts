import { INestApplicationContext } from '@nestjs/common';
import { SessionHistory, ViewRebuilder, VerifyScope, ViewVerifier } from '@app/replay';
import { ViewGenerations } from '@app/ports';
import { progressPrinter } from './progress-printer';

export class UsageError extends Error {}

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  rebuild [--grace-ms N]             rebuild every view from the event archive into a fresh generation,
                                     then switch readers and the projector to it atomically
  verify [--session ID | --sample P] recompute views from the archive (all, P percent, or one session) and
                                     report every mismatch with the stored view; exits 1 on any
  events <session_id> [--after-seq N] [--limit N]
                                     print a session's history, one JSON event per line
  generations                        list view generations, the active one marked with *
  activate <generation>              point readers and the projector at another generation (rollback)

Configuration comes from the environment, as for the apps (KAFKA_BROKERS and MONGODB_URI for production, although
only MongoDB is used; DATA_DIR when embedded).`;

export interface CommandLine {
  command: string;
  positionals: string[];
  options: Record<string, string | undefined>;
}

/** Runs one command; resolves to the process exit code. */
export async function runCommand(app: INestApplicationContext, line: CommandLine): Promise<number> {
  switch (line.command) {
    case 'rebuild': {
      const result = await app.get(ViewRebuilder).rebuild({
        graceMs: integerOption(line, 'grace-ms', 5000),
        onProgress: progressPrinter(),
      });
      console.log(
        `rebuilt ${result.sessions} sessions from ${result.events} events into ${result.generation}; ` +
          `now active (was ${result.previous}); catch-up folded ${result.caughtUpEvents} events`,
      );
      return 0;
    }
    case 'verify': {
      const report = await app.get(ViewVerifier).verify(verifyScope(line), { onProgress: progressPrinter() });
      for (const mismatch of report.mismatches) {
        console.log(`MISMATCH ${mismatch.sessionId}`);
        for (const difference of mismatch.differences) console.log(`  ${difference}`);
      }
      console.log(
        `checked ${report.sessionsChecked} sessions in ${report.generation}: ${report.mismatches.length} mismatched`,
      );
      return report.mismatches.length === 0 ? 0 : 1;
    }
    case 'events': {
      const [sessionId] = line.positionals;
      if (!sessionId) throw new UsageError('events needs a session id');
      const limit = integerOption(line, 'limit', Number.MAX_SAFE_INTEGER);
      let afterSeq = integerOption(line, 'after-seq', 0);
      let printed = 0;
      while (printed < limit) {
        const page = await app
          .get(SessionHistory)
          .events(sessionId, { afterSeq, limit: Math.min(1000, limit - printed) });
        for (const event of page) console.log(JSON.stringify(event));
        printed += page.length;
        if (page.length === 0) break;
        afterSeq = page[page.length - 1].seq;
      }
      if (printed === 0)
        console.error(`no events for session ${sessionId} after seq ${integerOption(line, 'after-seq', 0)}`);
      return 0;
    }
    case 'generations': {
      const generations = app.get(ViewGenerations);
      const active = await generations.active();
      for (const name of await generations.list()) console.log(`${name === active ? '*' : ' '} ${name}`);
      return 0;
    }
    case 'activate': {
      const [generation] = line.positionals;
      if (!generation) throw new UsageError('activate needs a generation name (see `generations`)');
      const generations = app.get(ViewGenerations);
      if (!(await generations.list()).includes(generation))
        throw new UsageError(`no generation named ${generation}`);
      const previous = await generations.activate(generation);
      console.log(`${generation} is active (was ${previous})`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(line.command)}`);
  }
}

function verifyScope(line: CommandLine): VerifyScope {
  const sessionId = line.options['session'];
  const sample = line.options['sample'];
  if (sessionId !== undefined && sample !== undefined)
    throw new UsageError('give --session or --sample, not both');
  if (sessionId !== undefined) return { kind: 'session', sessionId };
  if (sample !== undefined) {
    const percent = Number(sample);
    if (!(percent > 0 && percent <= 100))
      throw new UsageError('--sample takes a percentage above 0 and at most 100');
    return { kind: 'sample', percent };
  }
  return { kind: 'all' };
}

function integerOption(line: CommandLine, name: string, fallback: number): number {
  const raw = line.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new UsageError(`--${name} takes a non-negative integer, not ${JSON.stringify(raw)}`);
  return value;
}
