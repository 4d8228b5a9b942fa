import { IntakeRequestError } from '../intake-http/errors';

/** A body that says it is OTLP but cannot be read as an export request: a 400. */
export class OtlpDecodeError extends IntakeRequestError {
  override readonly name = 'OtlpDecodeError';
}
