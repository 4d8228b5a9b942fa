import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Parses the header, or returns null where it is not a well-formed SigV4 authorization. */
export function parseSigV4(header: string | undefined): SigV4Authorization | null {
  const m = header ? AUTH_RE.exec(header.trim()) : null;
  if (!m) return null;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

/**
 * Recomputes the signature of a request with an empty query string and path `/` (the
 * shape of every AWS JSON protocol call) and compares it with the one sent. This is the
 * check AWS makes before it answers InvalidSignatureException.
 */
export function verifySigV4(
  auth: SigV4Authorization,
  req: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer },
  secretAccessKey: string,
): boolean {
  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (!amzDate || !amzDate.startsWith(auth.date) || !auth.signedHeaders.includes('host')) return false;
  const canonicalHeaders = auth.signedHeaders.map((h) => `${h}:${headerValue(req.headers, h) ?? ''}\n`).join('');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256') ?? sha256Hex(req.body);
  const [path, query = ''] = req.path.split('?', 2);
  const canonicalRequest = [req.method, path, canonicalQuery(query), canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(Buffer.from(canonicalRequest))].join('\n');
  let key = hmac(Buffer.from(`AWS4${secretAccessKey}`), auth.date);
  for (const part of [auth.region, auth.service, 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(auth.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(',') : v).trim().replace(/\s+/g, ' ');
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .map((p) => p.split('=', 2).map((s) => encodeURIComponent(decodeURIComponent(s))))
    .sort(([a = '', b = ''], [c = '', d = '']) => (a === c ? (b < d ? -1 : 1) : a < c ? -1 : 1))
    .map(([k, v = '']) => `${k}=${v}`)
    .join('&');
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
