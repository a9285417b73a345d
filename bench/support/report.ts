import { Figure, goalMet, ratioOf } from './benchmark';
import { formatFigure, formatMiB, formatRatio } from './format';

/** What one benchmark's process produced. */
export interface BenchmarkOutcome {
  name: string;
  figures: Figure[];
  /** The highest resident set of the benchmark's own process, start-up included. */
  processPeakRssBytes?: number;
  error?: string;
}

/** `goal ≥0.85×: met`, or '' for a figure without a goal. */
function goalText(figure: Figure): string {
  const met = goalMet(figure);
  if (met === undefined) return '';
  const goal = figure.goal!;
  const target =
    'margin' in goal
      ? `≤ceiling+${goal.margin} ${figure.unit}`
      : `${goal.direction === 'at least' ? '≥' : '≤'}${formatRatio(goal.ratio)}`;
  return `goal ${target}: ${met ? 'met' : 'missed'}`;
}

export function figureLine(figure: Figure): string {
  const ratio = ratioOf(figure);
  const goal = goalText(figure);
  const ceiling = figure.ceiling
    ? `  vs ${figure.ceiling.name} ${formatFigure(figure.ceiling.value)} ${figure.unit}: ${formatRatio(ratio!)}` +
      (goal ? ` (${goal})` : '')
    : '';
  return (
    `${figure.name}: ${formatFigure(figure.value)} ${figure.unit}${ceiling}` +
    `  (peak rss ${formatMiB(figure.memory.rssBytes)}, heap ${formatMiB(figure.memory.heapUsedBytes)})` +
    (figure.note ? `  [${figure.note}]` : '')
  );
}

const SUMMARY_COLUMNS = [
  'benchmark',
  'figure',
  'unit',
  'ceiling',
  'ceiling figure',
  'ratio',
  'goal',
  'peak rss',
  'peak heap',
];

export function summaryTable(outcomes: readonly BenchmarkOutcome[]): string {
  const rows = outcomes.flatMap((outcome) =>
    outcome.error
      ? [[outcome.name, 'FAILED', '', '', '', '', '', '', '']]
      : outcome.figures.map((figure) => {
          const ratio = ratioOf(figure);
          return [
            figure.name,
            formatFigure(figure.value),
            figure.unit,
            figure.ceiling?.name ?? '',
            figure.ceiling ? formatFigure(figure.ceiling.value) : '',
            ratio === undefined ? '' : formatRatio(ratio),
            goalText(figure),
            formatMiB(figure.memory.rssBytes),
            formatMiB(figure.memory.heapUsedBytes),
          ];
        }),
  );
  const widths = SUMMARY_COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  // Names and units read left to right; numbers line up on their last digit.
  const numeric = new Set([1, 4, 5, 7, 8]);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  const processPeaks = outcomes
    .filter((outcome) => outcome.processPeakRssBytes !== undefined)
    .map((outcome) => `${outcome.name} ${formatMiB(outcome.processPeakRssBytes!)}`);
  return [
    line(SUMMARY_COLUMNS),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `Peak RSS of each benchmark's process: ${processPeaks.join(', ')}`,
  ].join('\n');
}
