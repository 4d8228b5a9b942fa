import { parseJsonBody, readBoundedBody, sendJson } from './aws-json-wire';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallerIdentity, KekProvider } from '../../lib/engine/kek/provider';
import { adminOperations, isKmsAdmin } from './kms-wire-admin-operations';
import { MESSAGES, WireError, operations, toWireError, type Handler } from './kms-wire-operations';
import { parseSigV4, verifySigV4 } from './sigv4';

/**
 * A local HTTP server that speaks the AWS KMS wire protocol (AWS JSON 1.1: POST /,
 * `X-Amz-Target: TrentService.<Operation>`, base64 blobs in JSON) in front of any
 * KekProvider, so the real `@aws-sdk/client-kms` — signing, serialisation, error parsing,
 * retries — can be tested without AWS. Wire-level faults can be injected per request.
 */

export interface WirePrincipal {
  /** With a secret the SigV4 signature is verified; without, any well-formed header passes. */
  secretAccessKey?: string;
  identity: CallerIdentity;
}

export interface KmsWireServerOptions {
  provider: KekProvider;
  /** Access key id → principal. When given, unknown access keys get UnrecognizedClientException. */
  principals?: Record<string, WirePrincipal>;
  /**
   * Largest page ListKeys and ListAliases answer, whatever Limit asks (default 1000), so
   * tests can make the client page. Those operations (and DescribeKey, GetKeyRotationStatus)
   * are served when the provider is a local KMS.
   */
  maxPageSize?: number;
}

export type WireFault =
  | { type: 'error'; code: string; status?: number; message?: string }
  /** Waits before answering normally (long enough and the client times out). */
  | { type: 'delay'; ms: number }
  /** Destroys the connection without an answer (a network failure as the client sees it). */
  | { type: 'drop' };

export interface SeenRequest {
  target: string;
  headers: IncomingHttpHeaders;
  /** The JSON body with `Plaintext` redacted. */
  body: Record<string, unknown>;
  status: number;
  errorCode: string | null;
  requestId: string;
}

const MAX_BODY = 1 << 20;

export class KmsWireServer {
  readonly requests: SeenRequest[] = [];
  private readonly faults: WireFault[] = [];
  private readonly handlers: Record<string, Handler>;

  private constructor(
    private readonly server: Server,
    private readonly options: KmsWireServerOptions,
  ) {
    this.handlers = {
      ...operations(options.provider),
      ...(isKmsAdmin(options.provider) ? adminOperations(options.provider, options.maxPageSize) : {}),
    };
  }

  static async start(options: KmsWireServerOptions): Promise<KmsWireServer> {
    const server = createServer();
    const wire = new KmsWireServer(server, options);
    server.on('request', (req, res) => void wire.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return wire;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Queues `fault` for each of the next `times` authenticated requests. */
  inject(fault: WireFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  throttle(times = 1): void {
    this.inject({ type: 'error', code: 'ThrottlingException' }, times);
  }

  internalError(times = 1): void {
    this.inject({ type: 'error', code: 'KMSInternalException' }, times);
  }

  delay(ms: number, times = 1): void {
    this.inject({ type: 'delay', ms }, times);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  targets(): string[] {
    return this.requests.map((r) => r.target);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    const seen: SeenRequest = { target, headers: req.headers, body: {}, status: 200, errorCode: null, requestId };
    this.requests.push(seen);
    try {
      const raw = await readBoundedBody(req, MAX_BODY, wireFail);
      const body = parseJsonBody(raw, wireFail);
      seen.body = { ...body, ...('Plaintext' in body ? { Plaintext: '<redacted>' } : {}) };
      const caller = this.authenticate(req, raw);
      const fault = this.faults.shift();
      if (fault?.type === 'error') throw new WireError(fault.code, fault.message ?? MESSAGES[fault.code] ?? fault.code, fault.status);
      if (fault?.type === 'drop') {
        seen.status = 0;
        req.socket.destroy();
        return;
      }
      if (fault?.type === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
      if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new WireError('SerializationException', 'Expected POST with Content-Type application/x-amz-json-1.1');
      }
      const handler = target.startsWith('TrentService.') ? this.handlers[target.slice('TrentService.'.length)] : undefined;
      if (!handler) throw new WireError('UnknownOperationException', `Unknown operation ${target}`);
      sendJson(res, 200, requestId, await handler(body, caller));
    } catch (err) {
      const e = toWireError(err);
      seen.status = e.status;
      seen.errorCode = e.code;
      // AccessDeniedException comes from the authorisation layer, which spells it "Message".
      const messageKey = e.code === 'AccessDeniedException' ? 'Message' : 'message';
      sendJson(res, e.status, requestId, { __type: e.code, [messageKey]: e.message }, { 'x-amzn-ErrorType': e.code });
    }
  }

  private authenticate(req: IncomingMessage, raw: Buffer): CallerIdentity {
    const header = req.headers.authorization;
    if (!header) throw new WireError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const auth = parseSigV4(header);
    if (!auth || auth.service !== 'kms') {
      throw new WireError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    const principal = this.options.principals?.[auth.accessKeyId];
    if (this.options.principals && !principal) {
      throw new WireError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (principal?.secretAccessKey !== undefined) {
      const ok = verifySigV4(auth, { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: raw }, principal.secretAccessKey);
      if (!ok) {
        throw new WireError(
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        );
      }
    }
    const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
    const userAgent = String(req.headers['user-agent'] ?? '');
    if (principal) return { ...principal.identity, sourceIp, userAgent };
    return {
      type: 'IAMUser',
      arn: `arn:aws:iam::111122223333:user/${auth.accessKeyId}`,
      accountId: '111122223333',
      principalId: auth.accessKeyId,
      accessKeyId: auth.accessKeyId,
      sourceIp,
      userAgent,
    };
  }
}

const wireFail = (code: string, message: string): Error => new WireError(code, message);
