import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface IntakeRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The decompressed body split into lines (without newlines). */
  lines: string[];
  /** True when the body ended with a newline, as NDJSON should. */
  trailingNewline: boolean;
}

export type IntakeReply = { status: number; headers?: Record<string, string>; body?: string } | 'drop';
export type Responder = (req: IntakeRequest) => IntakeReply | Promise<IntakeReply>;

/** A stand-in for the ingest intake: records requests, answers from a script, default 200. */
export class IntakeTestServer {
  readonly requests: IntakeRequest[] = [];
  private readonly script: Responder[] = [];
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<IntakeTestServer> {
    const server = createServer();
    const intake = new IntakeTestServer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const raw = Buffer.concat(chunks);
          const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
          const lines = text.split('\n');
          const trailingNewline = lines.at(-1) === '';
          if (trailingNewline) lines.pop();
          const seen: IntakeRequest = { path: req.url ?? '', headers: req.headers, lines, trailingNewline };
          intake.requests.push(seen);
          intake.notify();
          if (intake.gate) await intake.gate;
          const responder = intake.script.shift();
          const reply: IntakeReply = responder ? await responder(seen) : { status: 200, body: JSON.stringify({ accepted: lines.length }) };
          if (reply === 'drop') {
            req.socket.destroy();
            return;
          }
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.body ?? '');
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return intake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Queues one-shot answers for the next requests, in order. */
  respond(...responders: Responder[]): void {
    this.script.push(...responders);
  }

  /** Holds every answer until the returned function is called. */
  hold(): () => void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
    return () => {
      this.gate = null;
      this.openGate?.();
    };
  }

  /** Resolves once `n` requests have arrived in total. */
  waitForRequests(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Every line received on `path`, in arrival order. */
  linesOn(path: string): string[] {
    return this.requests.filter((r) => r.path === path).flatMap((r) => r.lines);
  }

  async close(): Promise<void> {
    this.openGate?.();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.requests.length < w.n) return true;
      w.resolve();
      return false;
    });
  }
}
