import { StoreUnavailableError } from '@app/ports';
import { toErrorResponse } from './error-response';

describe(toErrorResponse.name, () => {
  it('answers an unreachable store with 503 and a detail, not a 500', () => {
    const unreachable = Object.assign(new Error('Server selection timed out after 2000 ms'), {
      name: 'MongoServerSelectionError',
    });
    for (const error of [unreachable, new StoreUnavailableError('database is locked')]) {
      expect(toErrorResponse(error)).toEqual({
        status: 503,
        body: { detail: 'the session store cannot be reached; try again shortly' },
        headers: {},
        unexpected: false,
      });
    }
  });
});
