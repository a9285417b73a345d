import { validateSync } from 'class-validator';
import { OptionalZonedDateTime } from './input-rules';

class DateTimeParams {
  @OptionalZonedDateTime() at?: string;
}

function failedRules(at: unknown): string[] {
  const params = Object.assign(new DateTimeParams(), { at });
  return validateSync(params).flatMap((error) => Object.keys(error.constraints ?? {}));
}

// `updated_after` and `at` are read by @app/domain's instants module here and in the stores alike: a lower-case
// `t`/`z` passed this check and then made the store's order key throw, a 500.
describe(OptionalZonedDateTime.name, () => {
  it.each(['2024-01-01t00:00:00z', '2024-01-01T00:00:00Z', '2024-01-01T02:00:00.5+02:00'])(
    'accepts the RFC 3339 date-time %p',
    (at) => {
      expect(failedRules(at)).toEqual([]);
    },
  );

  it('asks for a timezone when a date-time has none', () => {
    expect(failedRules('2024-01-01T00:00:00')).toEqual(['isZoned']);
  });

  it.each(['2025-03-11T09:30+0100', '2025-13-45T99:99:99Z', 'now'])('refuses %p as no date-time', (at) => {
    expect(failedRules(at)).toContain('isDateTime');
  });
});
