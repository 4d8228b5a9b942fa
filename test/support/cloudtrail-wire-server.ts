import { parseJsonBody, readBoundedBody, sendJson } from './aws-json-wire';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryHash, toWireEvent, TrailEventLog, type StoredEvent } from './cloudtrail-wire-events';
import { RateMeter } from './cloudtrail-wire-rate';
import { parseSigV4, verifySigV4 } from './sigv4';

/**
 * A local HTTP server that speaks CloudTrail's LookupEvents wire protocol (AWS JSON 1.1:
 * POST /, `X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`,
 * SigV4 checked, epoch-second timestamps, `{"__type": ...}` errors), so the real
 * `@aws-sdk/client-cloudtrail` can be tested without AWS. Like the real API it allows
 * `maxPerSecond` requests per account and region (measured in a sliding second; more get
 * ThrottlingException) and returns events newest first, 50 a page at most. Faults can be
 * injected: throttling bursts, 5xx, expired or denied credentials, late events, expired tokens.
 */

export type CloudTrailPrincipal = {
  secretAccessKey: string;
  accountId: string;
  /** IAM ARN of the caller (AccessDenied messages name it). */
  arn?: string;
  /** Temporary credentials: the request must carry this X-Amz-Security-Token. */
  sessionToken?: string;
};

export type CloudTrailWireServerOptions = {
  /** Access key id → principal; anything else is UnrecognizedClientException. */
  principals: Record<string, CloudTrailPrincipal>;
  /** Requests allowed per second per account and region (LookupEvents: 2). */
  maxPerSecond?: number;
  /** Clock deciding which events are visible (late delivery); Date.now by default. */
  now?: () => number;
};

export type CloudTrailFault = { code: string; status?: number; message?: string; scope?: string };

export type SeenLookup = {
  atMs: number;
  scope: string | null;
  status: number;
  errorCode: string | null;
  target: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  maxResults?: number;
  events: number;
};

const TARGET_PREFIXES = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.', 'CloudTrail_20131101.'];
const STATUS: Record<string, number> = { InternalFailure: 500, InternalServerError: 500, ServiceUnavailable: 503, ServiceUnavailableException: 503 };
const MESSAGES: Record<string, string> = {
  ThrottlingException: 'Rate exceeded',
  InternalFailure: 'The request processing has failed because of an unknown error, exception or failure.',
  ServiceUnavailable: 'The request has failed due to a temporary failure of the server.',
  ExpiredTokenException: 'The security token included in the request is expired',
  UnrecognizedClientException: 'The security token included in the request is invalid.',
  InvalidNextTokenException: 'Invalid NextToken.',
};
const MAX_BODY = 1 << 20;

class WireError extends Error {
  constructor(readonly code: string, message = MESSAGES[code] ?? code, readonly status = STATUS[code] ?? 400) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Token = { q: string; t: number; id: string; e: number };

export class CloudTrailWireServer {
  readonly requests: SeenLookup[] = [];
  readonly log = new TrailEventLog();
  readonly rates = new RateMeter();
  private readonly faults: CloudTrailFault[] = [];
  private readonly expired = new Set<string>();
  private readonly denied = new Set<string>();
  private tokenEpoch = 0;
  private readonly now: () => number;

  private constructor(private readonly server: Server, private readonly o: CloudTrailWireServerOptions) {
    this.now = o.now ?? Date.now;
  }

  static async start(o: CloudTrailWireServerOptions): Promise<CloudTrailWireServer> {
    const server = createServer();
    const wire = new CloudTrailWireServer(server, o);
    server.on('request', (req, res) => void wire.handle(req, res, performance.now()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return wire;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Adds CloudTrail records; `hidden` ones appear only after reveal() (late delivery), `delayMs` ones after that long. */
  publish(records: readonly Record<string, unknown>[], o: { hidden?: boolean; delayMs?: number } = {}): StoredEvent[] {
    const visibleAt = o.hidden ? Number.POSITIVE_INFINITY : this.now() + (o.delayMs ?? 0);
    return this.log.add(records, visibleAt);
  }

  reveal(): number {
    return this.log.revealAll(this.now());
  }

  /** The next `times` authenticated requests (of `scope` = "account/region" if given) fail with `code`. */
  inject(fault: CloudTrailFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  throttle(times = 1, scope?: string): void {
    this.inject({ code: 'ThrottlingException', ...(scope ? { scope } : {}) }, times);
  }

  serverError(times = 1, code: 'InternalFailure' | 'ServiceUnavailable' = 'InternalFailure', scope?: string): void {
    this.inject({ code, ...(scope ? { scope } : {}) }, times);
  }

  expire(accessKeyId: string): void {
    this.expired.add(accessKeyId);
  }

  deny(accessKeyId: string): void {
    this.denied.add(accessKeyId);
  }

  restore(accessKeyId: string): void {
    this.expired.delete(accessKeyId);
    this.denied.delete(accessKeyId);
  }

  /** Every NextToken issued so far becomes invalid (as after their expiry). */
  invalidateTokens(): void {
    this.tokenEpoch++;
  }

  maxPerSecond(scope: string): number {
    return this.rates.maxPerSecond(scope);
  }

  throttled(scope?: string): number {
    return this.requests.filter((r) => r.errorCode === 'ThrottlingException' && (scope === undefined || r.scope === scope)).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse, arrivedAt: number): Promise<void> {
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    const seen: SeenLookup = { atMs: arrivedAt, scope: null, status: 200, errorCode: null, target, events: 0 };
    this.requests.push(seen);
    try {
      const raw = await readBoundedBody(req, MAX_BODY, wireFail);
      const scope = this.authenticate(req, raw);
      seen.scope = scope;
      const limit = this.o.maxPerSecond ?? 2;
      if (this.rates.record(scope, arrivedAt) > limit) throw new WireError('ThrottlingException');
      const i = this.faults.findIndex((f) => f.scope === undefined || f.scope === scope);
      if (i !== -1) {
        const [f] = this.faults.splice(i, 1);
        throw new WireError(f!.code, f!.message, f!.status);
      }
      if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new WireError('SerializationException', 'Expected POST with Content-Type application/x-amz-json-1.1');
      }
      const op = TARGET_PREFIXES.find((p) => target.startsWith(p));
      if (!op || target.slice(op.length) !== 'LookupEvents') throw new WireError('UnknownOperationException', `Unknown operation ${target}`);
      const body = parseJsonBody(raw, wireFail);
      Object.assign(seen, {
        startTime: body.StartTime, endTime: body.EndTime, maxResults: body.MaxResults, ...(typeof body.NextToken === 'string' ? { nextToken: body.NextToken } : {}),
      });
      const out = this.lookupEvents(scope, body);
      seen.events = (out.Events as unknown[]).length;
      sendJson(res, 200, requestId, out);
    } catch (err) {
      const e = err instanceof WireError ? err : new WireError('InternalFailure');
      seen.status = e.status;
      seen.errorCode = e.code;
      // The authorisation layer spells it "Message".
      const key = e.code === 'AccessDeniedException' ? 'Message' : 'message';
      sendJson(res, e.status, requestId, { __type: e.code, [key]: e.message }, { 'x-amzn-ErrorType': e.code });
    }
  }

  /** The caller's account/region, or the error AWS answers for its credentials. */
  private authenticate(req: IncomingMessage, raw: Buffer): string {
    const header = req.headers.authorization;
    if (!header) throw new WireError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const auth = parseSigV4(header);
    if (!auth || auth.service !== 'cloudtrail') throw new WireError('UnrecognizedClientException');
    const p = this.o.principals[auth.accessKeyId];
    if (!p) throw new WireError('UnrecognizedClientException');
    if (p.sessionToken !== undefined && req.headers['x-amz-security-token'] !== p.sessionToken) throw new WireError('UnrecognizedClientException');
    if (!verifySigV4(auth, { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: raw }, p.secretAccessKey)) {
      throw new WireError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    if (this.expired.has(auth.accessKeyId)) throw new WireError('ExpiredTokenException');
    if (this.denied.has(auth.accessKeyId)) {
      const who = p.arn ?? `arn:aws:iam::${p.accountId}:user/${auth.accessKeyId}`;
      throw new WireError(
        'AccessDeniedException',
        `User: ${who} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
      );
    }
    return TrailEventLog.scopeOf(p.accountId, auth.region);
  }

  private lookupEvents(scope: string, b: Body): Body {
    const attrs = b.LookupAttributes === undefined ? [] : b.LookupAttributes;
    if (!Array.isArray(attrs) || attrs.length > 1) throw new WireError('InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
    const a = attrs[0] as { AttributeKey?: unknown; AttributeValue?: unknown } | undefined;
    if (a && (typeof a.AttributeKey !== 'string' || typeof a.AttributeValue !== 'string')) throw new WireError('InvalidLookupAttributesException', 'Invalid lookup attribute.');
    const attribute = a ? { key: a.AttributeKey as string, value: a.AttributeValue as string } : null;
    const max = b.MaxResults === undefined ? 50 : b.MaxResults;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) throw new WireError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    const seconds = (v: unknown, fallback: number) => {
      if (v === undefined) return fallback;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new WireError('SerializationException', 'Timestamps are epoch seconds');
      return v * 1000;
    };
    const nowMs = this.now();
    const startMs = seconds(b.StartTime, nowMs - 90 * 24 * 3600_000);
    const endMs = seconds(b.EndTime, nowMs);
    if (startMs > endMs) throw new WireError('InvalidTimeRangeException', 'Start time must be before end time.');
    const q = queryHash([scope, attribute, startMs, endMs]);
    let after: { timeMs: number; id: string } | null = null;
    if (b.NextToken !== undefined) {
      const token = decodeToken(b.NextToken);
      if (!token || token.q !== q || token.e !== this.tokenEpoch) throw new WireError('InvalidNextTokenException');
      after = { timeMs: token.t, id: token.id };
    }
    const page = this.log.lookup({ scope, attribute, startMs, endMs, max, after, nowMs });
    const last = page.events[page.events.length - 1];
    const next = page.more && last ? encodeToken({ q, t: last.timeMs, id: last.id, e: this.tokenEpoch }) : undefined;
    return { Events: page.events.map(toWireEvent), ...(next ? { NextToken: next } : {}) };
  }
}

function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(v: unknown): Token | null {
  if (typeof v !== 'string') return null;
  try {
    const t = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as Token;
    return typeof t.q === 'string' && typeof t.t === 'number' && typeof t.id === 'string' && typeof t.e === 'number' ? t : null;
  } catch {
    return null;
  }
}

const wireFail = (code: string, message: string): Error => new WireError(code, message);
