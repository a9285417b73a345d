import { fork } from 'node:child_process';
import { BenchContext, Benchmark, BenchSizes, Figure } from './benchmark';
import { processPeakRssBytes } from './memory';
import { BenchmarkOutcome, figureLine } from './report';

/** What a benchmark's process sends back when it is done. */
interface ChildReport {
  figures: Figure[];
  processPeakRssBytes: number;
}

/** The flag that makes the entry script run one benchmark in its own process instead of the whole selection. */
export const CHILD_FLAG = 'child';

/**
 * Runs a benchmark in a process of its own, so that its peak RSS is its own and not the residue of the ones
 * before, and so that one benchmark's garbage or warmed-up code does not shift another's figures.
 */
export function runInChildProcess(
  entryScript: string,
  benchmark: Benchmark,
  sizeArguments: readonly string[],
): Promise<BenchmarkOutcome> {
  return new Promise((resolve) => {
    let report: ChildReport | undefined;
    const child = fork(entryScript, [`--${CHILD_FLAG}`, benchmark.name, ...sizeArguments], {
      // --expose-gc lets each phase start from a collected heap, so its heap peak is its own.
      execArgv: [...process.execArgv, '--expose-gc'],
    });
    child.on('message', (message) => (report = message as ChildReport));
    child.on('exit', (code, signal) => {
      if (report && code === 0) resolve({ name: benchmark.name, ...report });
      else resolve({ name: benchmark.name, figures: report?.figures ?? [], error: signal ?? `exit ${code}` });
    });
  });
}

/** The child's side: runs the benchmark, printing each figure as it comes, and reports them to the parent. */
export async function runInThisProcess(benchmark: Benchmark, sizes: BenchSizes): Promise<void> {
  const figures: Figure[] = [];
  const context: BenchContext = {
    sizes,
    record: (figure) => {
      figures.push(figure);
      console.log(`  ${figureLine(figure)}`);
    },
  };
  await benchmark.run(context);
  const report: ChildReport = { figures, processPeakRssBytes: processPeakRssBytes() };
  await new Promise<void>((resolve, reject) =>
    process.send!(report, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}
