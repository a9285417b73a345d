/**
 * How long a client may take to send a request: its headers, and the whole request with its body. A slow sender
 * (one byte a minute keeps a socket, and a buffer, forever) gets 408 `{"detail": "Request Timeout"}` and its
 * connection closed (errors/client-error.ts). Streams are not cut: the limit ends once the request is received.
 */
export interface RequestTimeouts {
  headersMs: number;
  requestMs: number;
}

/** 10 s for headers; 60 s for a whole request, which lets a 16 MiB ingest body arrive at ~280 KB/s. */
export const DEFAULT_REQUEST_TIMEOUTS: RequestTimeouts = { headersMs: 10_000, requestMs: 60_000 };

/** The Fastify options that apply them. */
export function requestTimeoutOptions(timeouts: RequestTimeouts) {
  return {
    requestTimeout: timeouts.requestMs,
    http: {
      headersTimeout: timeouts.headersMs,
      // Node checks open requests against the limits this often; by default every 30 s, far coarser than them.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(timeouts.headersMs / 4))),
    },
  };
}
