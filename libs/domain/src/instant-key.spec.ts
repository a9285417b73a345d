import { instantKey, UnreadableTimestampError } from './instant-key';

describe(instantKey.name, () => {
  it('names the same instant with the same key whatever the offset and precision', () => {
    const key = '2024-03-01T10:00:00.500000000Z';
    expect(instantKey('2024-03-01T10:00:00.5Z')).toBe(key);
    expect(instantKey('2024-03-01T12:30:00.500+02:30')).toBe(key);
    expect(instantKey('2024-03-01T05:00:00.5-0500')).toBe(key);
  });

  it('sorts keys in time order where the original strings do not', () => {
    const earlier = '2024-03-01T11:00:00+02:00';
    const later = '2024-03-01T10:00:00Z';
    expect(earlier > later).toBe(true);
    expect(instantKey(earlier) < instantKey(later)).toBe(true);
  });

  it('keeps nanoseconds so that close instants stay ordered', () => {
    expect(instantKey('2024-03-01T10:00:00.123456788Z') < instantKey('2024-03-01T10:00:00.123456789Z')).toBe(
      true,
    );
  });

  it('crosses day and year boundaries through the offset', () => {
    expect(instantKey('2024-01-01T01:00+02:00')).toBe('2023-12-31T23:00:00.000000000Z');
    expect(instantKey('2024-12-31T24:00Z')).toBe('2025-01-01T00:00:00.000000000Z');
  });

  it('reads the basic, ordinal and week date forms ISO-8601 allows', () => {
    const key = '2024-01-01T10:00:00.000000000Z';
    expect(instantKey('20240101T10:00Z')).toBe(key);
    expect(instantKey('2024-001T10:00Z')).toBe(key);
    expect(instantKey('2024-W01-1T10:00Z')).toBe(key);
    expect(instantKey('2021-W01T10:00Z')).toBe('2021-01-04T10:00:00.000000000Z');
  });

  it('refuses a timestamp without a timezone', () => {
    expect(() => instantKey('2024-03-01T10:00:00')).toThrow(UnreadableTimestampError);
  });
});
