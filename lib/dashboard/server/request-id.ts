import { randomUUID } from 'node:crypto';

/** proxy.ts gives every request an id; route handlers and pages quote it in what the browser sees. */
export const REQUEST_ID_HEADER = 'x-request-id';

export function requestIdOf(headers: Headers): string {
  const id = headers.get(REQUEST_ID_HEADER);
  // Set by proxy.ts; anything else (no proxy run, a client's own header) gets a fresh id.
  return id !== null && /^[a-f0-9-]{36}$/.test(id) ? id : randomUUID();
}
