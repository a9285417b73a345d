import { EventArchive } from '@app/ports';
import { VerifyScope, ViewVerifier } from '@app/replay';
import { CliCommand, OptionValues, UsageError } from '../command';
import { progressPrinter } from '../progress-printer';

/** Exit codes: 0 every view matches; 1 a mismatch, or an empty store without --allow-empty. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'recompute views from the archive and report every difference from the stored ones',
  options: {
    session: { type: 'string', value: 'ID', help: 'check this session only' },
    sample: { type: 'string', value: 'P', help: 'check about P percent of the sessions (0 < P <= 100)' },
    'allow-empty': { type: 'boolean', help: 'an empty store is expected: pass instead of failing' },
  },
  details:
    'Exit code 0: every view checked matches. 1: a view differs, or the archive holds no events (a wrong\n' +
    'DATA_DIR or MONGODB_DATABASE looks like that) and --allow-empty was not given.',
  needs: 'storage',
  async run({ app, options, report }) {
    const scope = verifyScope(options);
    const events = await app.get(EventArchive).count();
    if (events === 0) {
      const allowed = options['allow-empty'] === true;
      report(
        { empty: true, sessionsChecked: 0, mismatches: [], passed: allowed },
        allowed
          ? 'the store holds no events: nothing to verify (--allow-empty)'
          : 'the store holds no events: nothing was verified. Check DATA_DIR or MONGODB_URI/MONGODB_DATABASE, ' +
              'or pass --allow-empty when an empty store is expected',
      );
      return allowed ? 0 : 1;
    }
    const result = await app.get(ViewVerifier).verify(scope, { onProgress: progressPrinter() });
    const lines = result.mismatches.flatMap(({ sessionId, differences }) => [
      `MISMATCH ${sessionId}`,
      ...differences.map((difference) => `  ${difference}`),
    ]);
    lines.push(
      `checked ${result.sessionsChecked} sessions in ${result.generation}: ${result.mismatches.length} mismatched`,
    );
    report({ empty: false, ...result, passed: result.mismatches.length === 0 }, lines.join('\n'));
    return result.mismatches.length === 0 ? 0 : 1;
  },
};

function verifyScope(options: OptionValues): VerifyScope {
  const { session, sample } = options;
  if (session !== undefined && sample !== undefined)
    throw new UsageError('give --session or --sample, not both');
  if (typeof session === 'string') return { kind: 'session', sessionId: session };
  if (typeof sample === 'string') {
    const percent = Number(sample);
    if (!(percent > 0 && percent <= 100))
      throw new UsageError('--sample takes a percentage above 0 and at most 100');
    return { kind: 'sample', percent };
  }
  return { kind: 'all' };
}
