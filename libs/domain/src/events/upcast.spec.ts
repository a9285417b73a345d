import { sessionEvents } from '../../../../test/factories/session-events';
import { deepFreeze } from '../../../../test/support/deep-freeze';
import { parseSessionEvent } from './parse';
import { CURRENT_SCHEMA_VERSION, upcastSessionEvent } from './upcast';

function runStoppedV1(data: Record<string, unknown>): Record<string, unknown> {
  const current = sessionEvents().created().runStarted().runStopped().last;
  return deepFreeze({ ...current, schema_version: 1, data });
}

describe(upcastSessionEvent.name, () => {
  it("turns a v1 session.run_stopped with an error into reason 'failed'", () => {
    const result = upcastSessionEvent(runStoppedV1({ error: 'model timed out' }));

    expect(result).toEqual({
      ok: true,
      event: expect.objectContaining({ schema_version: CURRENT_SCHEMA_VERSION, data: { reason: 'failed' } }),
    });
  });

  it("turns a v1 session.run_stopped without an error into reason 'completed'", () => {
    const result = upcastSessionEvent(runStoppedV1({}));

    expect(result).toEqual({ ok: true, event: expect.objectContaining({ data: { reason: 'completed' } }) });
  });

  it('only renumbers a type whose shape did not change', () => {
    const created = sessionEvents().created().last;

    expect(upcastSessionEvent({ ...created, schema_version: 1 })).toEqual({ ok: true, event: created });
  });

  it('leaves an event at the current version as it is', () => {
    const current = sessionEvents().created().runStarted().runStopped('interrupted').last;

    expect(upcastSessionEvent({ ...current })).toEqual({ ok: true, event: current });
  });

  it('refuses a version newer than the current one', () => {
    const future = { ...sessionEvents().created().last, schema_version: CURRENT_SCHEMA_VERSION + 1 };

    expect(upcastSessionEvent(future)).toEqual({
      ok: false,
      error: {
        path: 'schema_version',
        message: expect.stringContaining(`newer than the newest known version`),
      },
    });
  });

  it('is applied by parseSessionEvent before validation', () => {
    const result = parseSessionEvent(JSON.parse(JSON.stringify(runStoppedV1({ error: 'boom' }))));

    expect(result).toMatchObject({
      ok: true,
      event: { schema_version: CURRENT_SCHEMA_VERSION, data: { reason: 'failed' } },
    });
  });

  it('drops the null reply_id a v2 session.state_updated could carry, keeping the rest', () => {
    const current = sessionEvents().created().stateUpdated({ cur_iter: 2 }).last;
    const v2 = deepFreeze({ ...current, schema_version: 2, data: { reply_id: null, cur_iter: 2 } });

    expect(upcastSessionEvent(v2)).toEqual({ ok: true, event: current });
  });

  it('refuses a null reply_id at the current version', () => {
    const current = sessionEvents().created().stateUpdated({ cur_iter: 2 }).last;
    const result = parseSessionEvent({ ...current, data: { reply_id: null } });

    expect(result).toMatchObject({ ok: false, errors: [{ path: 'data.reply_id' }] });
  });
});
