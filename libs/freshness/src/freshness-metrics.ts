import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { ProjectionWatcher } from './projection-watcher';

/** The watcher's view at scrape time, so a dashboard and an alert see what the freshness headers say. */
@Injectable()
export class FreshnessMetrics implements OnModuleInit {
  constructor(
    private readonly watcher: ProjectionWatcher,
    // An explicit token: the metadata of an optional parameter's type is Object.
    @Optional() @Inject(Registry) private readonly registry?: Registry,
  ) {}

  onModuleInit(): void {
    if (!this.registry) return;
    const watcher = this.watcher;
    const registers = [this.registry];
    new Gauge({
      name: 'projection_lag_events',
      help: 'Events in the log the projection has not applied, as of the query API’s last look',
      registers,
      collect() {
        this.set(watcher.current().eventsBehind);
      },
    });
    new Gauge({
      name: 'projection_lag_seconds',
      help: 'How long the oldest event the projection has not applied has waited',
      registers,
      collect() {
        this.set(watcher.current().msBehind / 1000);
      },
    });
    new Gauge({
      name: 'projection_position_waiters',
      help: 'Reads waiting for a min_position now',
      registers,
      collect() {
        this.set(watcher.waiting);
      },
    });
  }
}
