import { operatorSamples, parseMetrics } from './metrics';

const TEXT = `# HELP projector_events_applied_total Events folded into views.
# TYPE projector_events_applied_total counter
projector_events_applied_total 23
projector_events_dead_lettered_total{reason="invalid_event"} 2
projector_batch_duration_seconds_bucket{le="0.1"} 4
projector_batch_duration_seconds_sum 0.3
projector_consumer_lag{partition="0"} 0
nodejs_eventloop_lag_seconds 0.01
http_requests_total{method="GET",route="/sessions/",status_code="200"} 9
`;

describe(parseMetrics.name, () => {
  it('reads every sample with its labels, and skips comments', () => {
    const samples = parseMetrics(TEXT);
    expect(samples).toHaveLength(7);
    expect(samples[1]).toEqual({
      name: 'projector_events_dead_lettered_total',
      labels: '{reason="invalid_event"}',
      value: 2,
    });
  });
});

describe(operatorSamples.name, () => {
  it("keeps the projector's counters and lag, not histograms, HTTP or the runtime's series", () => {
    expect(operatorSamples(parseMetrics(TEXT)).map((sample) => sample.name)).toEqual([
      'projector_events_applied_total',
      'projector_events_dead_lettered_total',
      'projector_consumer_lag',
    ]);
  });
});
