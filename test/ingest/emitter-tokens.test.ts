import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEmitterTokens, revokeEmitterToken } from '../../lib/auth/emitter-tokens';
import { IntakeHttpSink } from '../../lib/engine/sinks/intake-http-sink';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { findSecrets } from '../support/secret-scan';
import { countRows, deadLetters } from './support/db';
import { ndjson } from './support/intake-harness';
import { startTokenIntake, type TokenIntake } from './support/token-intake';
import { decodeStatus, jsonSpan, toProtobuf, tracesRequest } from './otlp/otlp-requests';
import { tokenSecretOf } from '../support/token-secret';

const NDJSON = { 'content-type': 'application/x-ndjson' };
const KEK = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const span = (tenant: string) => jsonSpan({ 'keyscope.operation': 'unwrap', 'keyscope.tenant': tenant, 'keyscope.kek': KEK, 'keyscope.bytes': 1 });
const otlpBody = (service: string, tenant = 'tenant-0') => toProtobuf('traces', tracesRequest({ 'service.name': service }, [span(tenant)]));
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const op = (i: number, patch: Record<string, unknown> = {}) => ({ ...makeOperation(i), ...patch });

let intake: TokenIntake;
let billing: { token: string; id: string };
beforeEach(async () => {
  intake = await startTokenIntake();
  billing = intake.token({ name: 'billing', services: ['billing'], tenants: ['tenant-0', 'tenant-1', 'tenant-2'] });
});
afterEach(async () => {
  await intake.close();
});

/** Who asks → what the NDJSON and the OTLP routes answer. */
const CASES: Array<{ who: string; headers: () => Record<string, string>; status: number; reason?: string }> = [
  { who: 'no token', headers: () => ({}), status: 401, reason: 'missing_token' },
  { who: 'a Basic header', headers: () => ({ authorization: 'Basic dXNlcjpwdw==' }), status: 401, reason: 'missing_token' },
  { who: 'an unknown token', headers: () => bearer(`kse_0123456789abcdef_${'A'.repeat(43)}`), status: 401, reason: 'invalid_token' },
  { who: 'a token with one character changed', headers: () => bearer(billing.token.slice(0, -1) + (billing.token.endsWith('A') ? 'B' : 'A')), status: 401, reason: 'invalid_token' },
  { who: 'the billing token', headers: () => bearer(billing.token), status: 200 },
];

describe('intake: emitter tokens', () => {
  for (const c of CASES) {
    it(`NDJSON with ${c.who}: ${c.status}`, async () => {
      const res = await intake.post('/v1/operations', ndjson([op(1)]), { ...NDJSON, ...c.headers() });
      expect(res.status).toBe(c.status);
      if (c.reason) {
        expect(res.json()).toMatchObject({ reason: c.reason, error: expect.stringMatching(/token/) as unknown });
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(countRows(intake.dbPath, 'key_operations')).toBe(0);
      } else expect(countRows(intake.dbPath, 'key_operations')).toBe(1);
    });

    it(`OTLP with ${c.who}: ${c.status}`, async () => {
      const res = await intake.post('/v1/traces', otlpBody('billing'), { ...PROTOBUF, ...c.headers() });
      expect(res.status).toBe(c.status);
      if (c.reason) {
        // google.rpc.Status with UNAUTHENTICATED (16), in the request's encoding.
        expect(res.headers.get('content-type')).toBe('application/x-protobuf');
        expect(decodeStatus(res.bytes)).toMatchObject({ code: 16, message: expect.stringMatching(/token/) as unknown });
        expect(countRows(intake.dbPath, 'key_operations')).toBe(0);
      } else expect(countRows(intake.dbPath, 'key_operations')).toBe(1);
    });
  }

  it('NDJSON: lines for another service or tenant get 207 with their reason and are dead-lettered; the rest is stored', async () => {
    const body = ndjson([op(1), op(2, { service: 'payments' }), op(3, { tenant: 'globex' }), op(4)]);
    const res = await intake.post('/v1/operations', body, { ...NDJSON, ...bearer(billing.token) });
    expect(res.status).toBe(207);
    const json = res.json() as { accepted: number; rejected: Array<{ line: number; error: string }> };
    expect(json.accepted).toBe(2);
    expect(json.rejected).toEqual([
      { line: 2, error: expect.stringMatching(/^service payments is not in this token's scope \(it may write: billing\)/) as unknown },
      { line: 3, error: expect.stringMatching(/^tenant globex is not in this token's scope/) as unknown },
    ]);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(2);
    const letters = deadLetters(intake.dbPath);
    expect(letters.map((d) => d.reason)).toEqual([expect.stringMatching(/^service payments/), expect.stringMatching(/^tenant globex/)]);
    expect(letters[0]!.location).toContain(`token ${billing.id}`);
  });

  it('NDJSON: DEK records are held to the same scope', async () => {
    const body = ndjson([makeDekRecord(1), { ...makeDekRecord(2), service: 'payments' }]);
    const res = await intake.post('/v1/dek-records', gzipSync(body), { ...NDJSON, 'content-encoding': 'gzip', ...bearer(billing.token) });
    expect(res.status).toBe(207);
    expect(countRows(intake.dbPath, 'dek_records')).toBe(1);
  });

  it('OTLP: a span for another service or tenant is rejected in partialSuccess and dead-lettered', async () => {
    const request = tracesRequest({ 'service.name': 'payments' }, [span('tenant-0')]);
    const res = await intake.post('/v1/traces', JSON.stringify(request), { 'content-type': 'application/json', ...bearer(billing.token) });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringMatching(/service payments is not in this token's scope/) as unknown } });
    const other = await intake.post('/v1/traces', otlpBody('billing', 'globex'), { ...PROTOBUF, ...bearer(billing.token) });
    expect(other.status).toBe(200);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(0);
    const reasons = deadLetters(intake.dbPath).map((d) => d.reason).sort();
    expect(reasons).toEqual([expect.stringMatching(/^service payments/), expect.stringMatching(/^tenant globex/)]);
  });

  it('a revoked token is refused at its next request, without a restart; another token keeps working', async () => {
    const payments = intake.token({ name: 'payments', services: ['payments'] });
    expect((await intake.post('/v1/operations', ndjson([op(1)]), { ...NDJSON, ...bearer(billing.token) })).status).toBe(200);
    revokeEmitterToken(intake.admin, 'billing', 'test');
    const ndjsonRes = await intake.post('/v1/operations', ndjson([op(2)]), { ...NDJSON, ...bearer(billing.token) });
    expect(ndjsonRes.status).toBe(401);
    expect(ndjsonRes.json()).toMatchObject({ reason: 'revoked_token', error: `emitter token ${billing.id} was revoked: ask an admin for a new one` });
    const otlpRes = await intake.post('/v1/traces', otlpBody('billing'), { ...PROTOBUF, ...bearer(billing.token) });
    expect(otlpRes.status).toBe(401);
    expect(decodeStatus(otlpRes.bytes).message).toMatch(/was revoked/);
    expect((await intake.post('/v1/operations', ndjson([op(3, { service: 'payments' })]), { ...NDJSON, ...bearer(payments.token) })).status).toBe(200);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(2);
  });

  it('revoking every token does not open the intake again', async () => {
    revokeEmitterToken(intake.admin, 'billing', 'test');
    expect(listEmitterTokens(intake.admin).every((t) => t.revokedAt !== null)).toBe(true);
    expect((await intake.post('/v1/operations', ndjson([op(1)]), NDJSON)).status).toBe(401);
    expect(intake.server.tokensRequired).toBe(true);
  });

  it("the traffic generator's sink sends its token (IntakeHttpSink token option)", async () => {
    const sink = new IntakeHttpSink({ url: intake.url, token: billing.token, flushIntervalMs: 5 });
    sink.writeOperation(makeOperation(1));
    sink.writeDekRecord(makeDekRecord(1));
    await sink.close();
    expect(sink.stats()).toMatchObject({ sent: 2, rejected: 0, dropped: 0 });
    expect(countRows(intake.dbPath, 'key_operations')).toBe(1);
  });

  it('the secret is in no log, store file or auth database file, in any encoding; only its hash is stored', async () => {
    await intake.post('/v1/operations', ndjson([op(1), op(2, { service: 'payments' })]), { ...NDJSON, ...bearer(billing.token) });
    await intake.post('/v1/traces', otlpBody('payments'), { ...PROTOBUF, ...bearer(billing.token) });
    revokeEmitterToken(intake.admin, billing.id, 'test');
    await intake.post('/v1/operations', ndjson([op(3)]), { ...NDJSON, ...bearer(billing.token) });
    intake.admin.pragma('wal_checkpoint(PASSIVE)');
    const outputs = new Map<string, Buffer>([['intake log', Buffer.from(intake.logs())]]);
    for (const dir of [dirname(intake.dbPath), dirname(intake.authDbPath)]) {
      for (const f of readdirSync(dir)) outputs.set(f, readFileSync(join(dir, f)));
    }
    expect(intake.logs()).toContain(billing.id); // the log names the token by id...
    const secret = Buffer.from(tokenSecretOf(billing.token), 'base64url');
    expect(findSecrets(outputs, [Buffer.from(billing.token), secret])).toEqual([]); // ...never by its secret
    const stored = intake.admin.prepare('SELECT secret_sha256 FROM keyscope_emitter_tokens WHERE id = ?').get(billing.id) as { secret_sha256: string };
    expect(stored.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('intake: token mode', () => {
  it('without any token made, an auto intake takes writes (loopback default); required refuses them', async () => {
    const open = await startTokenIntake();
    try {
      expect((await open.post('/v1/operations', ndjson([op(1)]), NDJSON)).status).toBe(200);
      expect(open.server.tokensRequired).toBe(false);
      // The first token made turns tokens on, at the next request.
      open.token({ name: 'first', services: ['billing'] });
      expect((await open.post('/v1/operations', ndjson([op(2)]), NDJSON)).status).toBe(401);
    } finally {
      await open.close();
    }
    const required = await startTokenIntake({ mode: 'required' });
    try {
      expect((await required.post('/v1/operations', ndjson([op(1)]), NDJSON)).status).toBe(401);
    } finally {
      await required.close();
    }
  });

  it('a token past its rate gets 429 with Retry-After; another token is not held back', async () => {
    const limited = await startTokenIntake({ tokenRate: { perSecond: 0.01, burst: 2 } });
    try {
      const a = limited.token({ name: 'a', services: ['billing'] });
      const b = limited.token({ name: 'b', services: ['billing'] });
      const send = (t: string, i: number) => limited.post('/v1/operations', ndjson([op(i)]), { ...NDJSON, ...bearer(t) });
      expect((await send(a.token, 1)).status).toBe(200);
      expect((await send(a.token, 2)).status).toBe(200);
      const third = await send(a.token, 3);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(third.json()).toMatchObject({ limit: 'KEYSCOPE_INTAKE_TOKEN_RATE', error: expect.stringContaining(a.id) as unknown });
      expect((await send(b.token, 4)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
