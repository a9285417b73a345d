import { ViewRebuilder } from '@app/replay';
import { CliCommand } from '../command';
import { progressPrinter } from '../progress-printer';

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: 'rebuild every view from the event archive into a fresh generation, then switch to it',
  options: {},
  details:
    'Readers and the projector move to the new generation atomically; the previous one is kept for `activate`.\n' +
    'Progress goes to stderr.',
  needs: 'storage',
  async run({ app, report }) {
    const result = await app.get(ViewRebuilder).rebuild({ onProgress: progressPrinter() });
    report(
      result,
      `rebuilt ${result.sessions} sessions from ${result.events} events into ${result.generation}; ` +
        `now active (was ${result.previous}); catch-up folded ${result.caughtUpEvents} events`,
    );
    return 0;
  },
};
