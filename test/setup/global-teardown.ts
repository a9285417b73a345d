import { LEASE_HOLDER_VARIABLE } from './global-setup';
import { releaseLocalServers } from './local-servers';

/** Stops nothing the caller named and nothing another test run still uses; see local-servers.ts. */
export default async function globalTeardown(): Promise<void> {
  const leaseHolder = process.env[LEASE_HOLDER_VARIABLE];
  if (leaseHolder) {
    delete process.env[LEASE_HOLDER_VARIABLE];
    await releaseLocalServers(Number(leaseHolder));
  }
}
