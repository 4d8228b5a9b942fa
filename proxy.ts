import { randomUUID } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { loadConfig } from './lib/config';
import { expectedOrigin, originProblem } from './lib/auth/origin-check';
import { contentSecurityPolicy, STATIC_SECURITY_HEADERS } from './lib/auth/security-headers';
import { REQUEST_ID_HEADER } from './lib/dashboard/server/request-id';

const settings = loadConfig();
const publicUrl = settings.auth.publicUrl;
const dev = settings.dashboard.dev;

/**
 * The edge of every request: a request id, a CSP nonce, the security headers, and the
 * origin check for state-changing requests. Access is not decided here: each page and
 * route handler checks its own declaration (lib/auth/access.ts), so nothing depends on
 * this matcher covering it.
 */
export function proxy(request: NextRequest) {
  const requestId = randomUUID();
  const bad = originProblem(request.method, request.headers.get('origin'), expectedOrigin(request.url, request.headers.get('host'), publicUrl));
  if (bad !== null) {
    return withHeaders(NextResponse.json({ error: { code: 'bad_origin', message: bad, requestId } }, { status: 403 }), requestId, null);
  }
  const nonce = Buffer.from(randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce, dev);
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  // Next.js reads the nonce from the request's CSP and puts it on its own scripts.
  headers.set('Content-Security-Policy', csp);
  return withHeaders(NextResponse.next({ request: { headers } }), requestId, csp);
}

function withHeaders(res: NextResponse, requestId: string, csp: string | null): NextResponse {
  res.headers.set(REQUEST_ID_HEADER, requestId);
  res.headers.set('Content-Security-Policy', csp ?? "default-src 'none'; frame-ancestors 'none'");
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}

export const config = {
  // Static assets are immutable files: no nonce needed (next.config.js gives them the static headers).
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
};
