import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * The AWS JSON 1.1 plumbing both local wire servers (KMS, CloudTrail) speak: read a
 * bounded body, parse it as the protocol does, answer with its headers. Each server
 * passes its own error type, so its handler maps protocol errors as before.
 */
export type JsonBody = Record<string, unknown>;
type Fail = (code: string, message: string) => Error;

export function parseJsonBody(raw: Buffer, fail: Fail): JsonBody {
  try {
    const v: unknown = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as JsonBody;
  } catch {
    // fall through to the protocol's error
  }
  throw fail('SerializationException', 'Start of structure or map found where not expected.');
}

export async function readBoundedBody(req: IncomingMessage, maxBytes: number, fail: Fail): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw fail('ValidationException', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, requestId: string, body: JsonBody, headers: Record<string, string> = {}): void {
  if (res.destroyed) return; // the client gave up (timeout) while we were answering
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': payload.length,
    'x-amzn-RequestId': requestId,
    Date: new Date().toUTCString(),
    ...headers,
  });
  res.end(payload);
}
