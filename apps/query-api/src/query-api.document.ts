import { OpenApiInfo } from '@app/http';

export const QUERY_API_DOCUMENT: OpenApiInfo = {
  title: 'agent-session-store query API',
  description:
    "The caller's agent sessions as SessionView documents (the seed's list contract), one session, and a stream of their changes.",
  version: '0.1.0',
};
