/**
 * OTLP export requests as the receiver reads them, whichever encoding they came in:
 * ids as lowercase hex, times as nanosecond bigints, attributes as plain values.
 */

/** An attribute value: an int is a number (beyond 2^53 it loses precision, as in JSON). */
export type OtlpValue = string | number | boolean | null | OtlpValue[] | { [key: string]: OtlpValue };
export type OtlpAttributes = Record<string, OtlpValue>;

export type OtlpSpan = {
  traceId: string;
  spanId: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  /** Status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  attributes: OtlpAttributes;
};

export type OtlpLogRecord = {
  timeNs: bigint;
  observedTimeNs: bigint;
  traceId: string;
  spanId: string;
  severityNumber: number;
  severityText: string;
  body: OtlpValue;
  attributes: OtlpAttributes;
};

/** One resource with the records of all its scopes; `index` locates a record for a dead letter. */
export type OtlpResourceBatch<R> = {
  resource: OtlpAttributes;
  records: Array<{ record: R; index: string }>;
};

export type OtlpRequest<R> = OtlpResourceBatch<R>[];

export const hex = (bytes: Uint8Array | null | undefined): string => (bytes ? Buffer.from(bytes).toString('hex') : '');
