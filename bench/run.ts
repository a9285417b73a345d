import 'reflect-metadata';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { archiveEncodingBenchmark } from './archive-encoding.bench';
import { catchUpBenchmark } from './catch-up.bench';
import { embeddedBenchmark } from './embedded.bench';
import { foldBenchmark } from './fold.bench';
import { freshnessBenchmark } from './freshness.bench';
import { listBenchmark } from './list.bench';
import { viewEncodingBenchmark } from './view-encoding.bench';
import { Benchmark, BenchSizes } from './support/benchmark';
import { formatMiB } from './support/format';
import { BenchmarkOutcome, summaryTable } from './support/report';
import { CHILD_FLAG, runInChildProcess, runInThisProcess } from './support/runner';

const BENCHMARKS: readonly Benchmark[] = [
  foldBenchmark,
  archiveEncodingBenchmark,
  viewEncodingBenchmark,
  embeddedBenchmark,
  catchUpBenchmark,
  listBenchmark,
  freshnessBenchmark,
];
const SIZE_OPTIONS = ['events', 'sessions', 'requests'] as const;

const USAGE = `usage: npm run bench -- [benchmark ...] [--events N] [--sessions N] [--requests N]

Runs the named benchmarks (all when none is named), each in a process of its own, and ends with a summary.
Each figure is printed with the ceiling it is compared against, measured in the same run, and their ratio.

Benchmarks:
${BENCHMARKS.map(({ name, description }) => `  ${name.padEnd(10)} ${description}`).join('\n')}

Sizes (a benchmark that uses a size has its own default):
  --events N     events through the fold, the embedded store, the Kafka projector, a capacity measurement
  --sessions N   sessions of the one user whose list is read
  --requests N   list requests timed per store; writes timed per load level (freshness)

The catch-up, list and freshness benchmarks use the development servers (npm run infra:up), or KAFKA_BROKERS / MONGODB_URI.`;

class UsageError extends Error {}

interface Invocation {
  benchmarks: Benchmark[];
  sizes: BenchSizes;
  /** The size options as given, passed on to each benchmark's process. */
  sizeArguments: string[];
  child: boolean;
  help: boolean;
}

function parseInvocation(args: string[]): Invocation {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      [CHILD_FLAG]: { type: 'boolean', default: false },
      events: { type: 'string' },
      sessions: { type: 'string' },
      requests: { type: 'string' },
    },
  });
  const sizes: BenchSizes = {};
  const sizeArguments: string[] = [];
  for (const option of SIZE_OPTIONS) {
    const given = values[option];
    if (given === undefined) continue;
    const size = Number(given.replaceAll('_', ''));
    if (!Number.isSafeInteger(size) || size < 1)
      throw new UsageError(`--${option} must be a positive integer`);
    sizes[option] = size;
    sizeArguments.push(`--${option}`, String(size));
  }
  const unknown = positionals.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown benchmark(s): ${unknown.join(', ')}`);
  return {
    benchmarks:
      positionals.length === 0
        ? [...BENCHMARKS]
        : BENCHMARKS.filter((benchmark) => positionals.includes(benchmark.name)),
    sizes,
    sizeArguments,
    child: values[CHILD_FLAG] === true,
    help: values.help === true,
  };
}

function machine(): string {
  const processors = cpus();
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return (
    `${processors.length} × ${processors[0]?.model.trim() ?? 'unknown CPU'}, ${formatMiB(totalmem())} memory, ` +
    `Node.js ${process.version}, load average ${load} at start`
  );
}

async function main(): Promise<number> {
  const invocation = parseInvocation(process.argv.slice(2));
  if (invocation.help) {
    console.log(USAGE);
    return 0;
  }
  if (invocation.child) {
    await runInThisProcess(invocation.benchmarks[0], invocation.sizes);
    return 0;
  }
  console.log(`Machine: ${machine()}`);
  const outcomes: BenchmarkOutcome[] = [];
  for (const benchmark of invocation.benchmarks) {
    console.log(`\n${benchmark.name}: ${benchmark.description}`);
    outcomes.push(await runInChildProcess(process.argv[1], benchmark, invocation.sizeArguments));
  }
  console.log(`\n${summaryTable(outcomes)}`);
  const failed = outcomes.filter((outcome) => outcome.error);
  for (const outcome of failed) console.error(`${outcome.name} failed (${outcome.error})`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
