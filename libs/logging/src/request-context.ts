import { AsyncLocalStorage } from 'node:async_hooks';

const requests = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` (and everything it starts) as part of the request `requestId`, which every log line then names. */
export function runInRequest<T>(requestId: string, work: () => T): T {
  return requests.run({ requestId }, work);
}

/** The id of the request the caller is serving, if any. */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}
