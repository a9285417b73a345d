/**
 * What runs the projection engine on a profile's event log (a Kafka consumer group member, the SQLite log tailer),
 * as the projector app sees it: the app waits on `failure` and exits when it settles, whatever the runner.
 */
export abstract class ProjectorRunner {
  /** What the runner projects, for the start-up line. */
  abstract describe(): string;
  /** Settles when the runner has stopped for good and only a fresh process can project again. */
  abstract readonly failure: Promise<Error>;
}
