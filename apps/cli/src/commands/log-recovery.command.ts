import { EventArchive } from '@app/ports';
import { LogArchiveVerifier, LogStart } from '@app/recovery';
import { CliCommand, UsageError } from '../command';
import { progressPrinter } from '../progress-printer';
import { eventLogReader, logReprojector } from './recovery-parts';

export const verifyLogCommand: CliCommand = {
  name: 'verify-log',
  summary: 'check the archive against the Kafka event log: missing seqs per session, offsets not archived',
  options: {},
  details:
    'Reads the events topic directly, beside the projector. Run it once the projector has no lag: an event it has\n' +
    'not reached yet counts as missing. Exit code 0: every event of the log is archived. 1: some are missing\n' +
    '(re-project them with reproject).',
  needs: 'all-ports',
  async run({ app, report }) {
    const result = await new LogArchiveVerifier(eventLogReader(app), app.get(EventArchive)).verify({
      onProgress: progressPrinter(),
    });
    const lines = [
      ...result.partitions.map(
        ({ partition, records, archived, notArchivedCount, notArchived }) =>
          `partition ${partition}: ${records} records, ${archived} archived, ${notArchivedCount} not archived` +
          (notArchived.length
            ? ` (offsets ${notArchived.join(', ')}${notArchivedCount > notArchived.length ? ', ...' : ''})`
            : ''),
      ),
      ...result.sessions.map(
        ({ sessionId, logSeqs, archivedSeqs, missingSeqs }) =>
          `MISSING ${sessionId}: ${logSeqs} seqs in the log, ${archivedSeqs} archived, missing ${missingSeqs.join(', ')}`,
      ),
      `${result.records} records: ${result.archived} archived, ${result.missing} missing, ${result.invalid} not events, ` +
        `${result.conflicting} conflicting: ${result.clean ? 'clean' : 'NOT clean'}`,
    ];
    report(result, lines.join('\n'));
    return result.clean ? 0 : 1;
  },
};

export const reprojectCommand: CliCommand = {
  name: 'reproject',
  summary: 'project the Kafka event log again into the archive and views, from its start or an instant',
  options: {
    since: {
      type: 'string',
      value: 'INSTANT',
      help: 'start at the first record written at or after this RFC 3339 instant',
    },
  },
  details:
    'Idempotent and safe beside the live projector: the archive keeps one copy of each event and view writes are\n' +
    'version-guarded. Records the projector dead-lettered are not dead-lettered again. Then run verify-log and verify.',
  needs: 'all-ports',
  async run({ app, options, report }) {
    let start: LogStart = { kind: 'earliest' };
    if (options.since !== undefined) {
      const at = new Date(String(options.since));
      if (typeof options.since !== 'string' || Number.isNaN(at.getTime()))
        throw new UsageError('--since takes an RFC 3339 instant, e.g. 2026-11-30T03:00:00Z');
      start = { kind: 'time', at };
    }
    const result = await logReprojector(app).reproject(start, { onProgress: progressPrinter() });
    report(
      result,
      `re-projected ${result.records} records: ${result.applied} applied, ${result.duplicates} already held, ` +
        `${result.lateRepairs} sessions re-folded`,
    );
    return 0;
  },
};
