import { Progress } from '@app/replay';

const REFRESH_MS = 1000;

/** Progress on stderr, so stdout stays clean for results; at most one line a second. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (progress: Progress) => void {
  let last = 0;
  return (progress) => {
    const now = Date.now();
    const finished = progress.done >= progress.total;
    if (!finished && now - last < REFRESH_MS) return;
    last = now;
    stream.write(`${formatProgress(progress)}\n`);
  };
}

export function formatProgress({ phase, done, total, perSecond, remainingSeconds }: Progress): string {
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
  const left = remainingSeconds === null ? '' : `, ~${Math.ceil(remainingSeconds)}s left`;
  return `${phase}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} events (${percent}%), ${Math.round(perSecond).toLocaleString('en-US')}/s${left}`;
}
