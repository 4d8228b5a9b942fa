import type { TimeBounds } from '../../../lib/model/time-window';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { INTAKE_PATHS } from '../../../lib/model/intake-protocol';
import type { Pipeline } from '../../pipeline/pipeline';
import type { LineKind } from '../../pipeline/validate-line';
import { MethodNotAllowedError, NotFoundError, ShuttingDownError } from './errors';
import { handleNdjson } from './ndjson-handler';
import type { BodyLimits } from './read-body';
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
};

type Handler = (req: IncomingMessage) => Promise<Reply>;

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

  constructor(private readonly o: IntakeServerOptions) {
    const now = o.now ?? (() => new Date());
    const ndjson = (kind: LineKind): Handler => async (req) => {
      if (this.draining) throw new ShuttingDownError('the intake is shutting down');
      const { outcome, ...reply } = await handleNdjson(kind, req, { pipeline: o.pipeline, limits: o.limits, now, timeBounds: o.timeBounds });
      o.logger.debug({ path: req.url, ...outcome, status: reply.status }, 'intake batch');
      return reply;
    };
    this.routes = new Map<string, Partial<Record<string, Handler>>>([
      [INTAKE_PATHS.operations, { POST: ndjson('operations') }],
      [INTAKE_PATHS.dekRecords, { POST: ndjson('dekRecords') }],
      ...otlpRoutes({ pipeline: o.pipeline, limits: o.limits, now, timeBounds: o.timeBounds, logger: o.logger, draining: () => this.draining }, this.otlpTotals),
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
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const grace = setTimeout(() => this.server.closeAllConnections(), CLOSE_GRACE_MS);
    await closed;
    clearTimeout(grace);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let reply: Reply;
    try {
      reply = await this.route(req)(req);
    } catch (err) {
      reply = errorReply(err);
      if (reply.status >= 500) this.o.logger.error({ path: req.url, status: reply.status, err: (err as Error).message }, 'intake request failed');
    }
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
    return { status: report.ok ? 200 : 503, body: { ...report, otlp: this.otlpTotals } };
  }
}
