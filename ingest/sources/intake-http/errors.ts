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
