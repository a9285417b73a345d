import { isStoreUnavailable, MONGODB_UNREACHABLE_ERRORS } from '@app/ports';
import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

describe('the driver errors that mean the store is unreachable', () => {
  it('are recognised by the ports under the names the driver gives them', () => {
    const unreachable = [
      new MongoServerSelectionError(
        'Server selection timed out after 2000 ms',
        {} as ConstructorParameters<typeof MongoServerSelectionError>[1],
      ),
      new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'),
      new MongoNetworkTimeoutError('connection timed out'),
      new MongoTopologyClosedError(),
    ];
    expect(unreachable.map((error) => error.name)).toEqual(MONGODB_UNREACHABLE_ERRORS);
    expect(unreachable.every(isStoreUnavailable)).toBe(true);
  });

  it('leave out what the server answered', () => {
    expect(isStoreUnavailable(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(
      false,
    );
    expect(isStoreUnavailable(new Error('MongoNetworkError'))).toBe(false);
  });
});
