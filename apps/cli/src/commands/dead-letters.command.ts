import { DeadLetterReason, DeadLetterSink, payloadText, StoredDeadLetter } from '@app/ports';
import { CliCommand, integerOption, UsageError } from '../command';
import { deadLetterRedrive } from './recovery-parts';

const REASONS = Object.values(DeadLetterReason) as string[];

/** One letter as JSON: the payload as text when it is UTF-8, else base64. */
function printable(letter: StoredDeadLetter): Record<string, unknown> {
  const { payload, ...rest } = letter;
  const text = payloadText(payload);
  return {
    ...rest,
    ...(text !== undefined ? { payload: text } : { payloadBase64: payload.toString('base64') }),
  };
}

function line(letter: StoredDeadLetter): string {
  const redriven = letter.redrivenAt ? ` (re-driven ${letter.redrivenAt})` : '';
  return `${letter.id}  ${letter.failedAt}  ${letter.reason}  ${letter.sessionId ?? '-'}  ${letter.detail}${redriven}`;
}

export const deadLettersCommand: CliCommand = {
  name: 'dead-letters',
  summary: 'list dead letters, oldest first: id, time, reason, session, detail',
  options: {
    reason: { type: 'string', value: 'REASON', help: `only this reason (${REASONS.join(', ')})` },
    session: { type: 'string', value: 'ID', help: 'only letters of this session' },
    all: { type: 'boolean', help: 'include letters already re-driven' },
    limit: { type: 'string', value: 'N', help: 'at most N letters (default 100)' },
  },
  needs: 'all-ports',
  async run({ app, options, report }) {
    const reason = options.reason;
    if (reason !== undefined && !REASONS.includes(String(reason)))
      throw new UsageError(`--reason takes one of ${REASONS.join(', ')}`);
    const letters = await app.get(DeadLetterSink).list({
      reason: reason as DeadLetterReason | undefined,
      sessionId: typeof options.session === 'string' ? options.session : undefined,
      includeRedriven: options.all === true,
      limit: integerOption(options, 'limit', 100),
    });
    report(letters.map(printable), letters.length === 0 ? 'no dead letters' : letters.map(line).join('\n'));
    return 0;
  },
};

export const deadLetterCommand: CliCommand = {
  name: 'dead-letter',
  summary: 'show one dead letter with its payload',
  arguments: [{ name: 'id', required: true }],
  options: {},
  details: 'Exit code 0: shown. 1: no dead letter has this id.',
  needs: 'all-ports',
  async run({ app, positionals, report }) {
    const [id] = positionals;
    if (!id) throw new UsageError('dead-letter needs an id (see dead-letters)');
    const letter = await app.get(DeadLetterSink).show(id);
    if (!letter) {
      report({ found: false, id }, `no dead letter ${id}`);
      return 1;
    }
    report(printable(letter), JSON.stringify(printable(letter), null, 2));
    return 0;
  },
};

export const redriveCommand: CliCommand = {
  name: 'redrive',
  summary: 'send dead letters back through the projector once their cause is fixed',
  arguments: [{ name: 'id...', required: true }],
  options: {},
  details:
    'Each letter goes through the projection engine, beside the live projector. Projected, it leaves the listing;\n' +
    'failing again, it becomes a new dead letter with its new reason. Exit code 0: every letter was projected.\n' +
    '1: one failed again, or an id names no letter (or one already re-driven).',
  needs: 'all-ports',
  async run({ app, positionals, report }) {
    if (positionals.length === 0) throw new UsageError('redrive needs at least one id (see dead-letters)');
    const redrive = deadLetterRedrive(app);
    const results: Record<string, unknown>[] = [];
    let failures = 0;
    for (const id of positionals) {
      try {
        const { outcome, reasons } = await redrive.redrive(id);
        if (outcome !== 'projected') failures += 1;
        results.push({ id, outcome, reasons });
      } catch (error) {
        failures += 1;
        results.push({ id, error: (error as Error).message });
      }
    }
    report(
      results,
      results
        .map((result) =>
          result.error
            ? `${result.id}: ${result.error}`
            : `${result.id}: ${result.outcome}${(result.reasons as string[]).length ? ` (${(result.reasons as string[]).join(', ')})` : ''}`,
        )
        .join('\n'),
    );
    return failures === 0 ? 0 : 1;
  },
};
