import { IngestError } from '../../errors';

/** A request the intake refuses before looking at its lines; responses.ts gives each its status. */
export class IntakeRequestError extends IngestError {
  override readonly name: string = 'IntakeRequestError';
}

export class PayloadTooLargeError extends IntakeRequestError {
  override readonly name = 'PayloadTooLargeError';
}

export class BadGzipError extends IntakeRequestError {
  override readonly name = 'BadGzipError';
}

export class UnsupportedMediaTypeError extends IntakeRequestError {
  override readonly name = 'UnsupportedMediaTypeError';
}

export class EmptyBodyError extends IntakeRequestError {
  override readonly name = 'EmptyBodyError';
}

export class NotFoundError extends IntakeRequestError {
  override readonly name = 'NotFoundError';
}

export class MethodNotAllowedError extends IntakeRequestError {
  override readonly name = 'MethodNotAllowedError';
  constructor(message: string, readonly allow: readonly string[]) {
    super(message);
  }
}

/** The intake is draining for shutdown. */
export class ShuttingDownError extends IntakeRequestError {
  override readonly name = 'ShuttingDownError';
}

/** No, an unknown or a revoked emitter token: 401. `reason` is a stable code for clients. */
export class UnauthorizedError extends IntakeRequestError {
  override readonly name = 'UnauthorizedError';
  constructor(message: string, readonly reason: 'missing_token' | 'invalid_token' | 'revoked_token') {
    super(message);
  }
}

/** A limit on the request's shape (line length, lines per request): 413 naming the setting. */
export class RequestLimitError extends PayloadTooLargeError {
  constructor(message: string, readonly limit: string, readonly accepted: number) {
    super(message);
  }
}

/** Too much in flight (across requests) or too many requests from one token: 429 with Retry-After. */
export class TooManyRequestsError extends IntakeRequestError {
  override readonly name = 'TooManyRequestsError';
  constructor(message: string, readonly retryAfterS: number, readonly limit: string) {
    super(message);
  }
}

/** The client went away before its body ended: nothing to answer. */
export class ClientGoneError extends IntakeRequestError {
  override readonly name = 'ClientGoneError';
}
