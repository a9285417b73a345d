import { LagClock } from './lag-clock';

const at = (entries: [number, number][]) => new Map(entries);

describe(LagClock.name, () => {
  it('is 0 while the projection has applied everything it saw', () => {
    const clock = new LagClock();
    clock.observe(at([[0, 10]]), at([[0, 10]]), 1_000);
    expect(clock.msBehind(at([[0, 10]]), 5_000)).toBe(0);
  });

  it('counts from the first sighting of the oldest unapplied record', () => {
    const clock = new LagClock();
    clock.observe(at([[0, 10]]), at([[0, 12]]), 1_000);
    clock.observe(at([[0, 10]]), at([[0, 15]]), 1_500);
    expect(clock.msBehind(at([[0, 10]]), 2_000)).toBe(1_000);
    // Once the records seen at 1,000 are applied, the oldest waiting one was first seen at 1,500.
    clock.observe(at([[0, 12]]), at([[0, 15]]), 2_000);
    expect(clock.msBehind(at([[0, 12]]), 2_200)).toBe(700);
    clock.observe(at([[0, 15]]), at([[0, 15]]), 2_300);
    expect(clock.msBehind(at([[0, 15]]), 2_400)).toBe(0);
  });

  it('takes the partition furthest behind in time', () => {
    const clock = new LagClock();
    clock.observe(at([]), at([[1, 3]]), 1_000);
    clock.observe(
      at([]),
      at([
        [1, 3],
        [2, 1],
      ]),
      3_000,
    );
    expect(clock.msBehind(at([]), 4_000)).toBe(3_000);
    expect(clock.msBehind(at([[1, 3]]), 4_000)).toBe(1_000);
  });

  it('keeps the oldest sighting exact however long the projection stays behind', () => {
    const clock = new LagClock();
    for (let tick = 0; tick < 5_000; tick += 1) clock.observe(at([[0, 0]]), at([[0, tick + 1]]), tick);
    expect(clock.msBehind(at([[0, 0]]), 10_000)).toBe(10_000);
    // Past the oldest, merged sightings may understate the wait (the truth is 6,000 ms), never overstate it.
    const later = clock.msBehind(at([[0, 4_000]]), 10_000);
    expect(later).toBeGreaterThan(0);
    expect(later).toBeLessThanOrEqual(6_000);
  });
});
