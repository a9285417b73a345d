import { ViewGenerations } from '@app/ports';
import { CliCommand } from '../command';

export const generationsCommand: CliCommand = {
  name: 'generations',
  summary: 'list view generations, the active one marked with *',
  options: {},
  needs: 'storage',
  async run({ app, report }) {
    const generations = app.get(ViewGenerations);
    const active = await generations.active();
    const names = await generations.list();
    report(
      { active, generations: names },
      names.map((name) => `${name === active ? '*' : ' '} ${name}`).join('\n'),
    );
    return 0;
  },
};
