import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (path: string) => readFileSync(join(__dirname, '../..', path), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** The Dockerfile as data: continuation lines joined, comments dropped, instructions grouped by stage. */
function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, rest] = /^(\w+)\s+(.*)$/.exec(line)!;
    const instruction = { keyword: keyword.toUpperCase(), args: rest.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [, image, name] = /^(\S+)(?: AS (\S+))?$/i.exec(instruction.args)!;
      stages.push({ name: name ?? `stage-${stages.length}`, from: image, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name, value] = instruction.args.split('=');
      args[name] = value;
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { args, stages };
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const runtime = dockerfile.stages[dockerfile.stages.length - 1];
const all = (stage: Stage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword).map(({ args }) => args);
/** `ENV A=1 B=2` instructions of a stage, as one map. */
const environment = (stage: Stage) =>
  Object.fromEntries(all(stage, 'ENV').flatMap((args) => args.split(' ').map((pair) => pair.split('='))));
const imageOf = (stage: Stage) =>
  stage.from.replace(/^\$\{(\w+)\}$/, (_, name: string) => dockerfile.args[name]);

describe('Dockerfile', () => {
  it('builds and runs on a Node.js LTS line that engines promises and the test command runs', () => {
    const engines = JSON.parse(read('package.json')).engines.node as string;
    for (const stage of dockerfile.stages) {
      const [, major] = /^node:(\d+)-/.exec(imageOf(stage)) ?? [];
      expect(['22', '24']).toContain(major);
      expect(engines).toContain(`^${major}.`);
    }
  });

  it('listens on every interface of the container, on the port it exposes', () => {
    const env = environment(runtime);
    expect(env.HTTP_HOST).toBe('0.0.0.0');
    expect(all(runtime, 'EXPOSE')).toEqual([env.HTTP_PORT]);
  });

  it('keeps DATA_DIR on a volume the unprivileged user owns', () => {
    const env = environment(runtime);
    expect(all(runtime, 'VOLUME')).toEqual([env.DATA_DIR]);
    expect(all(runtime, 'WORKDIR')).toEqual(['/app']);
    expect(all(runtime, 'RUN').join(' ')).toContain(`chown node:node ${env.DATA_DIR.replace('/app/', '')}`);
    const keywords = runtime.instructions.map(({ keyword }) => keyword);
    expect(all(runtime, 'USER')).toEqual(['node']);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
  });

  it('ships no build tools, sources or development dependencies in the runtime stage', () => {
    const build = dockerfile.stages.find((stage) => stage.name === 'build')!;
    const buildSteps = all(build, 'RUN').join(' ');
    expect(buildSteps).toContain('npm prune --omit=dev');
    expect(buildSteps).toContain('rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src');
    expect(all(runtime, 'COPY')).toEqual([
      '--from=build /app/package.json ./',
      '--from=build /app/node_modules node_modules',
      '--from=build /app/dist dist',
      'apps/cli/bin/session-store.js apps/cli/bin/session-store.js',
    ]);
    expect(all(runtime, 'RUN').join(' ')).not.toMatch(/apt-get|npm (ci|install)|g\+\+/);
  });

  it('runs the start-up smoke check while building, as the image user, from a script it does not keep', () => {
    const keywords = runtime.instructions.map(({ keyword }) => keyword);
    const smoke = runtime.instructions.findIndex(
      ({ keyword, args }) => keyword === 'RUN' && args.includes('image-smoke-check.sh'),
    );
    expect(smoke).toBeGreaterThan(keywords.indexOf('USER'));
    expect(runtime.instructions[smoke].args).toMatch(
      /^--mount=type=bind,source=scripts\/image-smoke-check\.sh,target=\S+ sh \S+$/,
    );
    expect(read('.dockerignore').split('\n')).toContain('!scripts/image-smoke-check.sh');
    expect(read('scripts/image-smoke-check.sh')).toContain('/health');
  });
});
