import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { realisticHistory } from '../../../test/factories/session-events';

const REPO = resolve(__dirname, '../../..');
const PACKAGE_ROOT = resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  dependencies: Record<string, string>;
};

const [created] = realisticHistory('bare');

// What a bare `node` process does with the installed package: require it, emit into a log that only records, and
// report every package it loaded. Nothing else is preloaded: no reflect-metadata, no require hook.
const RUNTIME = `
const { SessionEmitter, InvalidEventError } = require(${JSON.stringify(manifest.name)});
const appended = [];
const emitter = new SessionEmitter({
  log: { append: async (events) => { appended.push(...events); return new Map([[0, appended.length]]); } },
});
(async () => {
  const sessionId = emitter.openSession();
  const { position } = await emitter.emit(sessionId, ${JSON.stringify(created.type)}, ${JSON.stringify(created.data)});
  let refused = false;
  try { await emitter.emit(sessionId, 'session.created', { user_id: 42 }); } catch (error) { refused = error instanceof InvalidEventError; }
  const packages = new Set(Object.keys(require.cache).flatMap((file) => {
    const [, inside] = file.split('/node_modules/');
    if (!inside) return [];
    const parts = inside.split('/');
    return [parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0]];
  }));
  const repoFiles = Object.keys(require.cache).filter((file) => file.startsWith(${JSON.stringify(REPO + '/libs/')}));
  console.log(JSON.stringify({ seqs: appended.map((event) => event.seq), position, refused, packages: [...packages], repoFiles }));
})();
`;

/**
 * Builds the package as its own build script does, installs it into an empty folder beside only its declared
 * dependencies (links to the repository's copies), and runs it there; an undeclared dependency would not resolve.
 */
describe(`${manifest.name} as an installed package`, () => {
  let installRoot: string;

  beforeAll(() => {
    installRoot = mkdtempSync(join(tmpdir(), 'emitter-package-'));
    const installed = join(installRoot, 'node_modules', ...manifest.name.split('/'));
    const config = join(PACKAGE_ROOT, 'tsconfig.build.json');
    const outDir = join(installed, 'dist');
    execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', config, '--outDir', outDir], { cwd: REPO });
    execFileSync(join(REPO, 'node_modules/.bin/tsc-alias'), ['-p', config, '--outDir', outDir], {
      cwd: REPO,
    });
    cpSync(join(PACKAGE_ROOT, 'package.json'), join(installed, 'package.json'));
    for (const dependency of Object.keys(manifest.dependencies)) {
      const target = join(installRoot, 'node_modules', dependency);
      mkdirSync(resolve(target, '..'), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', dependency), target, 'dir');
    }
  }, 180_000);

  afterAll(() => rmSync(installRoot, { recursive: true, force: true }));

  it('loads in a bare node process with only its declared dependencies, and validates before it sends', () => {
    const output = execFileSync(process.execPath, ['-e', RUNTIME], { cwd: installRoot, encoding: 'utf8' });
    const report = JSON.parse(output) as {
      seqs: number[];
      position: string;
      refused: boolean;
      packages: string[];
      repoFiles: string[];
    };
    expect(report.seqs).toEqual([1]);
    expect(report.position).toBe('0:1');
    expect(report.refused).toBe(true);
    expect(report.repoFiles).toEqual([]);
    expect(report.packages.filter((name) => name.startsWith('@nestjs/'))).toEqual([]);
    expect(report.packages).toEqual(expect.arrayContaining(Object.keys(manifest.dependencies)));
  });
});
