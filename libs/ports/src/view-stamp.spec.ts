import { createHash } from 'node:crypto';
import { canonicalJson, FOLD_VERSION, sessionViewSchemas } from '@app/domain';
import { VIEW_FIELDS } from './view-fields';
import { currentViewStamp, isCurrentStamp } from './view-stamp';

describe('currentViewStamp', () => {
  it('fingerprints the SessionView schema and the view field table together, beside the fold version', () => {
    const fingerprint = (shape: unknown) =>
      createHash('sha256').update(canonicalJson(shape)).digest('hex').slice(0, 16);
    const stamp = currentViewStamp();
    expect(stamp).toEqual({
      foldVersion: FOLD_VERSION,
      shape: fingerprint({ view: sessionViewSchemas(), fields: VIEW_FIELDS }),
    });
    expect(stamp.shape).not.toBe(fingerprint({ fields: VIEW_FIELDS }));
  });

  it('accepts only its own stamp', () => {
    const stamp = currentViewStamp();
    expect(isCurrentStamp({ ...stamp })).toBe(true);
    expect(isCurrentStamp(null)).toBe(false);
    expect(isCurrentStamp({ ...stamp, foldVersion: stamp.foldVersion + 1 })).toBe(false);
    expect(isCurrentStamp({ ...stamp, shape: 'another shape' })).toBe(false);
  });
});
