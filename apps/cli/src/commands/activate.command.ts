import { ViewGenerations } from '@app/ports';
import { CliCommand, UsageError } from '../command';

export const activateCommand: CliCommand = {
  name: 'activate',
  summary: 'point readers and the projector at another generation (rollback)',
  arguments: [{ name: 'generation', required: true }],
  options: {},
  needs: 'storage',
  async run({ app, positionals, report }) {
    const [generation] = positionals;
    if (!generation) throw new UsageError('activate needs a generation name (see `generations`)');
    const generations = app.get(ViewGenerations);
    if (!(await generations.list()).includes(generation))
      throw new UsageError(`no generation named ${generation}`);
    const previous = await generations.activate(generation);
    report({ active: generation, previous }, `${generation} is active (was ${previous})`);
    return 0;
  },
};
