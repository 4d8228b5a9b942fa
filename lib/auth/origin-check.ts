/**
 * CSRF: a state-changing request must come from a page of this dashboard. Browsers send
 * `Origin` with every POST, PUT, PATCH and DELETE; it must be the dashboard's own origin
 * (KEYSCOPE_PUBLIC_URL, or the origin the request was addressed to when that is unset).
 */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE.has(method.toUpperCase());
}

export function expectedOrigin(requestUrl: string, host: string | null, publicUrl: string | null): string {
  if (publicUrl !== null) return new URL(publicUrl).origin;
  const url = new URL(requestUrl);
  return host === null ? url.origin : `${url.protocol}//${host}`;
}

/** Null when the request may go on; otherwise why not, for the 403. */
export function originProblem(method: string, origin: string | null, expected: string): string | null {
  if (!isStateChanging(method)) return null;
  if (origin === null) return `a ${method} request must carry an Origin header`;
  if (origin !== expected) return `a ${method} request from ${origin.slice(0, 100)} is refused: only ${expected} may change anything here`;
  return null;
}
