/**
 * Typed errors of the ingest service. The HTTP intake maps them to status codes in one
 * place (sources/intake-http/responses.ts); the CLI maps them to exit codes.
 */
export class IngestError extends Error {
  override readonly name: string = 'IngestError';
}

/** The pipeline gave up on a batch after its retries; nothing after it is written. */
export class PipelineFailedError extends IngestError {
  override readonly name = 'PipelineFailedError';
}

/** The pipeline is closing or closed and takes no more input. */
export class PipelineClosedError extends IngestError {
  override readonly name = 'PipelineClosedError';
}

/** `import` was given something it cannot read at all (missing path, unknown file kind). */
export class ImportInputError extends IngestError {
  override readonly name = 'ImportInputError';
}
