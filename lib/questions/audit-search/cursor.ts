import { z, ZodError } from 'zod';

/**
 * The keyset cursor of auditSearch on both stores: the last row's (time, event id), the
 * definition's order, as base64url JSON. Opaque to the page; a cursor that does not decode
 * is the caller's bad input, a ZodError the route answers 400.
 */
export type AuditCursor = { timeMs: number; id: string };

const Tuple = z.tuple([z.number().int().min(-8.64e15).max(8.64e15), z.string().min(1).max(128)]);

export function encodeAuditCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.timeMs, c.id]), 'utf8').toString('base64url');
}

export function decodeAuditCursor(text: string): AuditCursor {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const r = Tuple.safeParse(value);
  if (!r.success) throw malformed();
  return { timeMs: r.data[0], id: r.data[1] };
}

function malformed(): ZodError {
  return new ZodError([{ code: 'custom', message: 'not a cursor of this search: start again from the first page', path: ['after'], input: undefined }]);
}
