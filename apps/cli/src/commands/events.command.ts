import { SessionHistory } from '@app/replay';
import { CliCommand, integerOption, UsageError } from '../command';

const PAGE = 1000;

export const eventsCommand: CliCommand = {
  name: 'events',
  summary: "print a session's history, one JSON event per line",
  arguments: [{ name: 'session_id', required: true }],
  options: {
    'after-seq': { type: 'string', value: 'N', help: 'start after this seq (default 0)' },
    limit: { type: 'string', value: 'N', help: 'print at most N events' },
  },
  details:
    'The output is JSON Lines with or without --json. A session without events prints nothing, exit 0.',
  needs: 'storage',
  async run({ app, positionals, options }) {
    const [sessionId] = positionals;
    if (!sessionId) throw new UsageError('events needs a session id');
    const limit = integerOption(options, 'limit', Number.MAX_SAFE_INTEGER);
    const from = integerOption(options, 'after-seq', 0);
    let afterSeq = from;
    let printed = 0;
    while (printed < limit) {
      const page = await app
        .get(SessionHistory)
        .events(sessionId, { afterSeq, limit: Math.min(PAGE, limit - printed) });
      for (const event of page) console.log(JSON.stringify(event));
      printed += page.length;
      if (page.length === 0) break;
      afterSeq = page[page.length - 1].seq;
    }
    if (printed === 0) console.error(`no events for session ${sessionId} after seq ${from}`);
    return 0;
  },
};
