import { KafkaJSError, KafkaJSProtocolError } from 'kafkajs';
import { INVALID_CHANGE_POSITION } from '@app/ports';

export enum KafkaErrorCode {
  /** The production profile was not selected: AppConfig.kafka is null. */
  NotConfigured = 'not_configured',
  /** No broker could be reached, or every retry over a dropped connection failed. */
  BrokerUnavailable = 'broker_unavailable',
  /** A broker did not answer in time. */
  Timeout = 'timeout',
  /** A record, or a batch of records, is larger than the topic or the broker accepts. */
  RecordTooLarge = 'record_too_large',
  /** The topic does not exist, and topics are never created implicitly. */
  UnknownTopic = 'unknown_topic',
  /** The broker refused the credentials or the operation. */
  NotAuthorized = 'not_authorized',
  /** A change-feed position this adapter never handed out. */
  InvalidPosition = INVALID_CHANGE_POSITION,
  Unexpected = 'unexpected',
}

/** Every failure the Kafka adapters raise, so callers never see the client library's own error classes. */
export class KafkaError extends Error {
  constructor(
    readonly code: KafkaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = KafkaError.name;
  }
}

const CODES_BY_PROTOCOL_ERROR: Readonly<Record<string, KafkaErrorCode>> = {
  MESSAGE_TOO_LARGE: KafkaErrorCode.RecordTooLarge,
  RECORD_LIST_TOO_LARGE: KafkaErrorCode.RecordTooLarge,
  UNKNOWN_TOPIC_OR_PARTITION: KafkaErrorCode.UnknownTopic,
  TOPIC_AUTHORIZATION_FAILED: KafkaErrorCode.NotAuthorized,
  GROUP_AUTHORIZATION_FAILED: KafkaErrorCode.NotAuthorized,
  CLUSTER_AUTHORIZATION_FAILED: KafkaErrorCode.NotAuthorized,
  SASL_AUTHENTICATION_FAILED: KafkaErrorCode.NotAuthorized,
  REQUEST_TIMED_OUT: KafkaErrorCode.Timeout,
};

const CODES_BY_CLIENT_ERROR: Readonly<Record<string, KafkaErrorCode>> = {
  KafkaJSConnectionError: KafkaErrorCode.BrokerUnavailable,
  KafkaJSConnectionClosedError: KafkaErrorCode.BrokerUnavailable,
  KafkaJSNoBrokerAvailableError: KafkaErrorCode.BrokerUnavailable,
  KafkaJSBrokerNotFound: KafkaErrorCode.BrokerUnavailable,
  KafkaJSGroupCoordinatorNotFound: KafkaErrorCode.BrokerUnavailable,
  KafkaJSRequestTimeoutError: KafkaErrorCode.Timeout,
  KafkaJSTimeout: KafkaErrorCode.Timeout,
  KafkaJSSASLAuthenticationError: KafkaErrorCode.NotAuthorized,
};

/**
 * The code of the most specific error in the chain: the client wraps the error that ended its retries
 * (`KafkaJSNumberOfRetriesExceeded`, `KafkaJSNonRetriableError`) around the one that says what happened.
 */
function codeOf(error: unknown): KafkaErrorCode {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof KafkaJSProtocolError && CODES_BY_PROTOCOL_ERROR[current.type]) {
      return CODES_BY_PROTOCOL_ERROR[current.type];
    }
    if (current instanceof KafkaJSError && CODES_BY_CLIENT_ERROR[current.name]) {
      return CODES_BY_CLIENT_ERROR[current.name];
    }
  }
  return KafkaErrorCode.Unexpected;
}

/** Wraps a client failure; `action` says what was attempted, e.g. "producing 3 records to session-events". */
export function toKafkaError(error: unknown, action: string): KafkaError {
  if (error instanceof KafkaError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new KafkaError(codeOf(error), `Kafka failed ${action}: ${reason}`, { cause: error });
}
