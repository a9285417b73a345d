// The Prometheus text format of GET /metrics, read into samples for the operations page.

export interface Sample {
  name: string;
  labels: string;
  value: number;
}

/** One sample per line that is not a comment: `name{labels} value [timestamp]`. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (!match || line.startsWith('#')) continue;
    samples.push({ name: match[1], labels: match[2] ?? '', value: Number(match[3]) });
  }
  return samples;
}

/**
 * What an operator watches: the projector's series (lag, gaps, dead letters, conflicts) and any other lag, dead
 * letter or generation series, not histograms and not the Node.js runtime's own (its event loop "lag").
 */
export function operatorSamples(samples: Sample[]): Sample[] {
  return samples.filter(
    ({ name }) =>
      /^projector_|lag|dead_letter|generation/.test(name) &&
      !/^(nodejs|process)_/.test(name) &&
      !/_(bucket|sum|count)$/.test(name),
  );
}
