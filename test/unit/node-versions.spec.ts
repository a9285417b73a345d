import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json'));

/** The majors `engines` promises, from a range written as `^A.B.C || ^D.E.F`. */
const promisedMajors = (range: string) => range.split('||').map((part) => Number(/\^(\d+)\./.exec(part)![1]));

describe('the Node.js versions', () => {
  it('promised by engines are those the test command runs: the machine one and Node 22 from the wheel', () => {
    expect(promisedMajors(pkg.engines.node)).toEqual([20, 22]);
    expect(promisedMajors(pkg.engines.node)).toContain(Number(process.versions.node.split('.')[0]));
    expect(read('scripts/node22/install.sh')).toMatch(/^NODE_WHEEL_VERSION=22\.\d+\.\d+$/m);
    expect(pkg.scripts.test).toMatch(/jest --selectProjects unit && npm run test:node22 /);
    expect(pkg.scripts['test:node22']).toBe('bash scripts/node22/test-unit.sh');
  });
});
