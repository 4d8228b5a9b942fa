import type { TimeBounds } from '../../../lib/model/time-window';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { INTAKE_PATHS } from '../../../lib/model/intake-protocol';
import type { Pipeline } from '../../pipeline/pipeline';
import type { LineKind } from '../../pipeline/validate-line';
import type { EmitterTokenVerifier, Writer } from './emitter-auth';
import { ClientGoneError, MethodNotAllowedError, NotFoundError, ShuttingDownError, TooManyRequestsError } from './errors';
import { InflightBudget, type Reservation } from './inflight-budget';
import { handleNdjson } from './ndjson-handler';
import { TokenRateLimiter } from './rate-limit';
import { drainRequest, type BodyLimits } from './read-body';
import { errorReply, send, type Reply } from './responses';
import { emptyOtlpTotals, otlpRoutes, type OtlpTotals } from '../otlp-http/routes';

/** What GET /healthz reports; `ok` false answers 503. */
export type HealthReport = { ok: boolean } & Record<string, unknown>;

export type IntakeServerOptions = {
  host: string;
  port: number;
  limits: BodyLimits;
  pipeline: Pipeline;
  health: () => Promise<HealthReport>;
  logger: Logger;
  now?: () => Date;
  /** Bounds on record times; the intake is a live source (lib/model/time-window.ts). */
  timeBounds?: TimeBounds;
  /** Emitter tokens (lib/auth/emitter-tokens.ts); without, anyone who reaches the intake writes (tests, loopback). */
  tokens?: EmitterTokenVerifier;
  /** Decompressed bytes in flight across requests (default: unlimited) and requests per second per token. */
  maxInflightBytes?: number;
  tokenRate?: { perSecond: number; burst: number };
};

type Handler = (req: IncomingMessage, rc: { reservation: Reservation }) => Promise<Reply>;

/** The rate limiter's key for requests without a token (tokens not required). */
const OPEN_INTAKE = 'open intake';

/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 15_000;

/**
 * The HTTP intake (DESIGN.md, "Data flow"): applications POST KeyOperations and DekRecords
 * as NDJSON (the contract is lib/model/intake-protocol.ts) or OTLP/HTTP traces and logs
 * (ingest/sources/otlp-http, docs/otel.md). Plain node:http: a handful of routes and two
 * probes do not need a framework.
 */
export class IntakeServer {
  private readonly server: Server;
  private readonly routes: Map<string, Partial<Record<string, Handler>>>;
  private draining = false;
  /** What the OTLP/HTTP receiver took, stored and dropped since start. */
  readonly otlpTotals: OtlpTotals = emptyOtlpTotals();
  /** Decompressed bytes held by requests now (healthz, tests). */
  readonly inflight: InflightBudget;
  private readonly rate: TokenRateLimiter | null;

  constructor(private readonly o: IntakeServerOptions) {
    const now = o.now ?? (() => new Date());
    this.inflight = new InflightBudget(o.maxInflightBytes ?? Number.POSITIVE_INFINITY);
    this.rate = o.tokenRate ? new TokenRateLimiter(o.tokenRate) : null;
    const ndjson = (kind: LineKind): Handler => async (req, { reservation }) => {
      if (this.draining) throw new ShuttingDownError('the intake is shutting down');
      const writer = this.admit(req);
      const { outcome, ...reply } = await handleNdjson(kind, req, { pipeline: o.pipeline, limits: o.limits, now, timeBounds: o.timeBounds, writer, reservation });
      o.logger.debug({ path: req.url, ...outcome, status: reply.status }, 'intake batch');
      return reply;
    };
    this.routes = new Map<string, Partial<Record<string, Handler>>>([
      [INTAKE_PATHS.operations, { POST: ndjson('operations') }],
      [INTAKE_PATHS.dekRecords, { POST: ndjson('dekRecords') }],
      ...otlpRoutes({ pipeline: o.pipeline, limits: o.limits, now, timeBounds: o.timeBounds, logger: o.logger, draining: () => this.draining, admit: (req) => this.admit(req) }, this.otlpTotals),
      ['/healthz', { GET: () => this.healthz() }],
      ['/readyz', { GET: async () => (this.ready ? { status: 200, body: { ready: true } } : { status: 503, body: { ready: false } }) }],
    ]);
    this.server = createServer((req, res) => void this.dispatch(req, res));
    // A stalled sender must not hold a connection (and its buffered body) forever.
    this.server.requestTimeout = 60_000;
  }

  /** Ready for traffic: listening and not draining, and the pipeline can still write. */
  get ready(): boolean {
    return this.server.listening && !this.draining && !this.o.pipeline.stats().failed;
  }

  async listen(): Promise<{ host: string; port: number; url: string }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = this.server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return { host: address, port, url: `http://${host}:${port}` };
  }

  /** Stops taking connections and requests; resolves once the requests in flight are answered. */
  async close(): Promise<void> {
    this.draining = true;
    if (this.server.listening) {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeIdleConnections();
      const grace = setTimeout(() => this.server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
    }
    this.o.tokens?.close();
  }

  /** Whether writers must send a token (the bind policy and healthz ask). */
  get tokensRequired(): boolean {
    return this.o.tokens?.required ?? false;
  }

  /** Who is writing (401 without a valid token when tokens are required), within its rate (429). */
  private admit(req: IncomingMessage): Writer {
    const writer = this.o.tokens?.authenticate(req.headers.authorization) ?? null;
    const wait = this.rate?.take(writer?.tokenId ?? OPEN_INTAKE) ?? 0;
    if (wait > 0) {
      throw new TooManyRequestsError(
        `${writer ? `emitter token ${writer.tokenId}` : 'the intake'} sends more than ${this.o.tokenRate!.perSecond} requests/s (KEYSCOPE_INTAKE_TOKEN_RATE); resend after Retry-After`,
        wait, 'KEYSCOPE_INTAKE_TOKEN_RATE',
      );
    }
    return writer;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const reservation = this.inflight.reserve();
    let reply: Reply;
    try {
      reply = await this.route(req)(req, { reservation });
    } catch (err) {
      if (err instanceof ClientGoneError) return;
      reply = errorReply(err);
      if (reply.status >= 500) this.o.logger.error({ path: req.url, status: reply.status, err: (err as Error).message }, 'intake request failed');
    } finally {
      reservation.release();
    }
    // An answer decided before the body ended (a limit, a refused token): the client reads it once its body is taken.
    await drainRequest(req);
    if (this.draining) reply.headers = { ...reply.headers, connection: 'close' };
    send(res, reply);
    this.o.logger.trace({ method: req.method, path: req.url, status: reply.status, ms: Math.round(performance.now() - started) }, 'http');
  }

  private route(req: IncomingMessage): Handler {
    const path = new URL(req.url ?? '/', 'http://intake').pathname;
    const methods = this.routes.get(path);
    if (methods === undefined) throw new NotFoundError(`no such path: ${path.slice(0, 200)}; the intake serves POST ${[...this.routes.keys()].filter((p) => p.startsWith('/v1/')).join(', ')}`);
    const handler = methods[req.method ?? ''];
    if (handler === undefined) {
      const allow = Object.keys(methods);
      throw new MethodNotAllowedError(`${req.method} is not allowed on ${path}; use ${allow.join(', ')}`, allow);
    }
    return handler;
  }

  private async healthz(): Promise<Reply> {
    const report = await this.o.health();
    // What OTLP exports brought, per signal: requests, records, key operations accepted, rejected and dropped.
    return { status: report.ok ? 200 : 503, body: { ...report, otlp: this.otlpTotals, intake: { tokensRequired: this.tokensRequired, inflightBytes: this.inflight.bytes } } };
  }
}
