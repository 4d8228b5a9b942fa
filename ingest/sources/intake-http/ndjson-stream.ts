import { RequestLimitError } from './errors';

/** Lines are handed on in groups of about this many, so validation and storing keep pace with the body. */
const GROUP_LINES = 500;
const GROUP_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

export type LineGroup = { firstLine: number; lines: string[] };
export type LineLimits = { maxLineBytes: number; maxLines: number };

/**
 * Splits a body's chunks into NDJSON lines as they arrive: on the newline byte (which never
 * occurs inside a UTF-8 sequence, so a chunk boundary cannot split a character wrongly),
 * without the `\r` of CRLF senders. A line longer than maxLineBytes, or one line too many,
 * ends the request with a 413 naming the limit; `accepted()` says how many lines were
 * already taken by then.
 */
export async function* ndjsonLineGroups(chunks: AsyncIterable<Buffer>, limits: LineLimits, accepted: () => number): AsyncGenerator<LineGroup> {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let lineNo = 0;
  let group: string[] = [];
  let groupBytes = 0;
  let groupFirst = 1;
  /** Set when a limit is hit: the lines before it are handed on first, then the request ends. */
  let failure: (() => RequestLimitError) | null = null;
  const push = (bytes: Buffer) => {
    if (lineNo + 1 > limits.maxLines) {
      failure = () => new RequestLimitError(`request has more than ${limits.maxLines} lines (KEYSCOPE_INTAKE_MAX_LINES); send smaller batches`, 'KEYSCOPE_INTAKE_MAX_LINES', accepted());
      return;
    }
    lineNo += 1;
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    group.push(text);
    groupBytes += bytes.length;
  };
  const tooLong = () => {
    const line = lineNo + 1;
    failure = () => new RequestLimitError(`line ${line} is longer than ${limits.maxLineBytes} bytes (KEYSCOPE_INTAKE_MAX_LINE_BYTES)`, 'KEYSCOPE_INTAKE_MAX_LINE_BYTES', accepted());
  };
  const take = (): LineGroup => {
    const g = { firstLine: groupFirst, lines: group };
    groupFirst = lineNo + 1;
    group = [];
    groupBytes = 0;
    return g;
  };
  for await (const chunk of chunks) {
    let start = 0;
    while (failure === null) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (partialBytes + piece.length > limits.maxLineBytes) tooLong();
      else push(partial.length === 0 ? piece : Buffer.concat([...partial, piece]));
      partial = [];
      partialBytes = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (failure === null && rest.length > 0) {
      if (partialBytes + rest.length > limits.maxLineBytes) tooLong();
      // A copy: the chunk's memory is not kept alive by a small remainder.
      else partial.push(Buffer.from(rest));
      partialBytes += rest.length;
    }
    if (failure !== null) break;
    if (group.length >= GROUP_LINES || groupBytes >= GROUP_BYTES) yield take();
  }
  if (failure === null && partialBytes > 0) push(Buffer.concat(partial));
  if (group.length > 0) yield take();
  if (failure !== null) throw (failure as () => RequestLimitError)();
}
