const MIB = 1024 * 1024;

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Rates and latencies keep three significant digits: the noise of a shared machine is larger than that. */
export function formatFigure(value: number): string {
  if (value >= 1000) return formatCount(value);
  return value.toPrecision(3);
}

export function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(0)} MiB`;
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}
