import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KmsCloudTrailRecord } from '../../lib/engine/audit/cloudtrail-record';
import { realClock } from '../../lib/engine/clock';
import { KmsError, classifyError } from '../../lib/engine/errors';
import { AwsKmsProvider } from '../../lib/engine/kek/aws-kms';
import { LocalKms } from '../../lib/engine/kek/local-kms/local-kms';
import type { CallerIdentity } from '../../lib/engine/kek/provider';
import { SeededRandom } from '../../lib/engine/random';
import { KmsWireServer } from '../support/kms-wire-server';

const ACCOUNT = '111122223333';
const APP = { accessKeyId: 'AKIAAPPEXAMPLE000001', secretAccessKey: 'app-secret-key-for-tests-only' };
const INTRUDER = { accessKeyId: 'AKIAINTRUDER00000002', secretAccessKey: 'intruder-secret-for-tests-only' };

function identity(name: string, accessKeyId: string): CallerIdentity {
  return {
    type: 'IAMUser',
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    accountId: ACCOUNT,
    principalId: `AIDA${name.toUpperCase()}`,
    accessKeyId,
    sourceIp: '',
    userAgent: '',
  };
}

// The real SDK client, through AwsKmsProvider, against the KMS wire protocol served by a LocalKms.
let kms: LocalKms;
const trail: KmsCloudTrailRecord[] = [];
let server: KmsWireServer;
let keyA: string;
let keyB: string;
let materialA: string;
let materialB: string;
const providers: AwsKmsProvider[] = [];

function client(opts: { maxAttempts?: number; requestTimeoutMs?: number; credentials?: typeof APP } = {}): AwsKmsProvider {
  const p = new AwsKmsProvider({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: opts.credentials ?? APP,
    maxAttempts: opts.maxAttempts ?? 3,
    requestTimeoutMs: opts.requestTimeoutMs ?? 5000,
  });
  providers.push(p);
  return p;
}

async function rejection(p: Promise<unknown>): Promise<KmsError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KmsError);
  return err as KmsError;
}

beforeAll(async () => {
  kms = new LocalKms({ accountId: ACCOUNT, region: 'us-east-1', clock: realClock, random: new SeededRandom(11), audit: (r) => void trail.push(r) });
  const intruderArn = identity('intruder', INTRUDER.accessKeyId).arn;
  const a = await kms.createKey({
    description: 'app kek',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Keep the intruder out', Effect: 'Deny', Principal: { AWS: intruderArn }, Action: 'kms:*', Resource: '*' },
      ],
    },
  });
  const b = await kms.createKey({ description: 'rotation target' });
  [keyA, materialA, keyB, materialB] = [a.Arn, a.CurrentKeyMaterialId, b.Arn, b.CurrentKeyMaterialId];
  server = await KmsWireServer.start({
    provider: kms,
    principals: {
      [APP.accessKeyId]: { secretAccessKey: APP.secretAccessKey, identity: identity('app', APP.accessKeyId) },
      [INTRUDER.accessKeyId]: { secretAccessKey: INTRUDER.secretAccessKey, identity: identity('intruder', INTRUDER.accessKeyId) },
    },
  });
});

afterEach(() => {
  server.clearFaults();
  kms.clearFaults();
  server.requests.length = 0;
  trail.length = 0;
});

afterAll(async () => {
  for (const p of providers) p.destroy();
  await server.close();
});

const ctx = { tenant: 't-1', object: 'obj-1' };

describe('AwsKmsProvider through the KMS wire protocol', () => {
  it('GenerateDataKey then Decrypt returns the same 256-bit key and the key material id', async () => {
    const p = client();
    const dk = await p.generateDataKey({ keyId: keyA, encryptionContext: ctx });
    expect(dk.keyId).toBe(keyA);
    expect(dk.plaintext).toHaveLength(32);
    expect(dk.kekVersion).toBe(materialA);
    const un = await p.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: { object: 'obj-1', tenant: 't-1' } });
    expect(un.keyId).toBe(keyA);
    expect(un.kekVersion).toBe(dk.kekVersion);
    expect(un.plaintext.equals(dk.plaintext)).toBe(true);
    // Each answer names its request as KMS's x-amzn-RequestId header did (CloudTrail's requestID).
    expect([dk.requestId, un.requestId]).toEqual(server.requests.map((r) => r.requestId));
  });

  it('Encrypt then Decrypt (with KeyId) round-trips; Encrypt reports no key material id', async () => {
    const p = client();
    const secret = Buffer.from('0123456789abcdef0123456789abcdef');
    const w = await p.encrypt({ keyId: keyB, plaintext: secret, encryptionContext: ctx });
    expect(w).toMatchObject({ keyId: keyB, kekVersion: null });
    const un = await p.decrypt({ ciphertextBlob: w.ciphertextBlob, encryptionContext: ctx, keyId: keyB });
    expect(un.plaintext.equals(secret)).toBe(true);
  });

  it('ReEncrypt moves a DEK to another key and context without exposing it', async () => {
    const p = client();
    const dk = await p.generateDataKey({ keyId: keyA, encryptionContext: ctx });
    const newCtx = { tenant: 't-1', object: 'obj-1', rotation: '2' };
    const re = await p.reEncrypt({
      ciphertextBlob: dk.ciphertextBlob,
      sourceEncryptionContext: ctx,
      destinationKeyId: keyB,
      destinationEncryptionContext: newCtx,
    });
    expect(re.sourceKeyId).toBe(keyA);
    expect(re.sourceKekVersion).toBe(dk.kekVersion);
    expect(re.keyId).toBe(keyB);
    expect(re.kekVersion).toBe(materialB);
    const un = await p.decrypt({ ciphertextBlob: re.ciphertextBlob, encryptionContext: newCtx });
    expect(un.plaintext.equals(dk.plaintext)).toBe(true);
    expect(server.targets()).toEqual(['TrentService.GenerateDataKey', 'TrentService.ReEncrypt', 'TrentService.Decrypt']);
  });

  it('sends AWS JSON 1.1 requests signed with SigV4 for kms in the configured region', async () => {
    await client().generateDataKey({ keyId: keyA, encryptionContext: ctx });
    const [seen] = server.requests;
    expect(seen?.headers['x-amz-target']).toBe('TrentService.GenerateDataKey');
    expect(seen?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(seen?.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${APP.accessKeyId}/\\d{8}/us-east-1/kms/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$`),
    );
    expect(seen?.body).toMatchObject({ KeyId: keyA, KeySpec: 'AES_256', EncryptionContext: ctx });
    expect(seen?.status).toBe(200);
  });

  it('the LocalKms behind the wire records the SDK caller in its CloudTrail records', async () => {
    await client().generateDataKey({ keyId: keyA, encryptionContext: ctx });
    const rec = trail.find((r) => r.eventName === 'GenerateDataKey');
    expect(rec?.userIdentity).toMatchObject({ type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/app`, accessKeyId: APP.accessKeyId });
    expect(rec?.sourceIPAddress).toBe('127.0.0.1');
    expect(rec?.userAgent).toMatch(/aws-sdk-js/);
    expect(rec?.errorCode).toBeUndefined();
  });

  it("LocalKms's own injected outage crosses the wire as 500s that the SDK retries, then KMSInternalException", async () => {
    const p = client({ maxAttempts: 2 });
    const dk = await p.generateDataKey({ keyId: keyA, encryptionContext: ctx });
    server.requests.length = 0;
    trail.length = 0;
    kms.setFaults({ outage: { mode: 'internal', probability: 1 }, operations: ['Decrypt'] });
    const err = await rejection(p.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx }));
    expect(err.code).toBe('KMSInternalException');
    expect(server.requests.map((r) => [r.status, r.errorCode])).toEqual([
      [500, 'KMSInternalException'],
      [500, 'KMSInternalException'],
    ]);
    expect(trail.filter((r) => r.eventName === 'Decrypt').map((r) => r.errorCode)).toEqual(['KMSInternalException', 'KMSInternalException']);
  });

  it('the server forwards KeySpec and NumberOfBytes to LocalKms (plain SDK client)', async () => {
    const sdk = new KMSClient({ region: 'us-east-1', endpoint: server.url, credentials: APP, maxAttempts: 1 });
    try {
      const big = await sdk.send(new GenerateDataKeyCommand({ KeyId: keyA, NumberOfBytes: 64 }));
      expect(big.Plaintext).toHaveLength(64);
      const small = await sdk.send(new GenerateDataKeyCommand({ KeyId: keyA, KeySpec: 'AES_128' }));
      expect(small.Plaintext).toHaveLength(16);
      expect(small.KeyMaterialId).toBe(materialA);
      const both = await sdk.send(new GenerateDataKeyCommand({ KeyId: keyA, KeySpec: 'AES_256', NumberOfBytes: 32 })).catch((e: unknown) => e);
      expect((both as Error).name).toBe('ValidationException');
    } finally {
      sdk.destroy();
    }
  });

  it('a wrong encryption context is InvalidCiphertextException (integrity)', async () => {
    const p = client();
    const dk = await p.generateDataKey({ keyId: keyA, encryptionContext: ctx });
    const err = await rejection(p.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: { ...ctx, object: 'obj-2' } }));
    expect(err.code).toBe('InvalidCiphertextException');
    expect(classifyError(err)).toBe('integrity');
    expect(server.requests.at(-1)?.headers['x-amz-target']).toBe('TrentService.Decrypt');
  });

  it('decrypting under the wrong KeyId is IncorrectKeyException', async () => {
    const p = client();
    const dk = await p.generateDataKey({ keyId: keyA, encryptionContext: ctx });
    const err = await rejection(p.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, keyId: keyB }));
    expect(err.code).toBe('IncorrectKeyException');
  });

  it('maps AccessDeniedException, a disabled key, an unknown key, and a bad signature', async () => {
    const denied = await rejection(client({ credentials: INTRUDER }).generateDataKey({ keyId: keyA, encryptionContext: ctx }));
    expect(denied.code).toBe('AccessDeniedException');
    expect(denied.message).toContain('arn:aws:iam::111122223333:user/intruder');
    expect(classifyError(denied)).toBe('access_denied');
    expect(denied.requestId).toBe(server.requests[0]!.requestId);

    const keyC = (await kms.createKey()).Arn;
    await kms.disableKey({ keyId: keyC });
    expect((await rejection(client().generateDataKey({ keyId: keyC, encryptionContext: ctx }))).code).toBe('DisabledException');
    const missing = `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;
    expect((await rejection(client().encrypt({ keyId: missing, plaintext: Buffer.alloc(32), encryptionContext: {} }))).code).toBe('NotFoundException');

    const forged = await rejection(client({ credentials: { ...APP, secretAccessKey: 'wrong' } }).generateDataKey({ keyId: keyA, encryptionContext: ctx }));
    expect(forged.code).toBe('AccessDeniedException');
    expect((forged.cause as Error).name).toBe('InvalidSignatureException');
    expect(server.requests.map((r) => r.errorCode)).toEqual(['AccessDeniedException', 'DisabledException', 'NotFoundException', 'InvalidSignatureException']);
  });

  it('the SDK retries through throttling (the server sees every attempt)', async () => {
    server.throttle(2);
    const dk = await client({ maxAttempts: 3 }).generateDataKey({ keyId: keyA, encryptionContext: ctx });
    expect(dk.plaintext).toHaveLength(32);
    expect(server.requests.map((r) => r.status)).toEqual([400, 400, 200]);
    expect(server.requests.map((r) => r.errorCode)).toEqual(['ThrottlingException', 'ThrottlingException', null]);
    // Each retry is a fresh, signed attempt of the same invocation.
    const invocations = new Set(server.requests.map((r) => r.headers['amz-sdk-invocation-id']));
    expect(invocations.size).toBe(1);
    expect(server.requests.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3', 'attempt=3; max=3']);
  });

  it('throttling beyond maxAttempts surfaces as ThrottlingException', async () => {
    server.throttle(5);
    const err = await rejection(client({ maxAttempts: 2 }).decrypt({ ciphertextBlob: Buffer.from('AAAA', 'base64'), encryptionContext: {} }));
    expect(err.code).toBe('ThrottlingException');
    expect(err.retryable).toBe(true);
    expect(classifyError(err)).toBe('throttled');
    expect(server.requests).toHaveLength(2);
  });

  it('HTTP 500 is KMSInternalException; a transient one is retried by the SDK', async () => {
    server.internalError(1);
    const err = await rejection(client({ maxAttempts: 1 }).generateDataKey({ keyId: keyA, encryptionContext: ctx }));
    expect(err.code).toBe('KMSInternalException');
    expect(classifyError(err)).toBe('kms_unavailable');
    expect(server.requests[0]?.status).toBe(500);

    server.requests.length = 0;
    server.internalError(1);
    await client({ maxAttempts: 2 }).generateDataKey({ keyId: keyA, encryptionContext: ctx });
    expect(server.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('a 503 DependencyTimeoutException keeps its code', async () => {
    server.inject({ type: 'error', code: 'DependencyTimeoutException' });
    const err = await rejection(client({ maxAttempts: 1 }).encrypt({ keyId: keyA, plaintext: Buffer.alloc(32, 7), encryptionContext: ctx }));
    expect(err.code).toBe('DependencyTimeoutException');
    expect(server.requests[0]?.status).toBe(503);
  });

  it('a response slower than requestTimeout is DependencyTimeoutException (timeout)', async () => {
    server.delay(1500);
    const err = await rejection(client({ maxAttempts: 1, requestTimeoutMs: 200 }).generateDataKey({ keyId: keyA, encryptionContext: ctx }));
    expect(err.code).toBe('DependencyTimeoutException');
    expect(classifyError(err)).toBe('timeout');
    expect((err.cause as Error).name).toBe('TimeoutError');
  });

  it('a dropped connection and a closed port are KMSInternalException (kms_unavailable)', async () => {
    server.inject({ type: 'drop' });
    const dropped = await rejection(client({ maxAttempts: 1 }).generateDataKey({ keyId: keyA, encryptionContext: ctx }));
    expect(dropped.code).toBe('KMSInternalException');
    expect((dropped.cause as { code?: string }).code).toBe('ECONNRESET');

    const offline = new AwsKmsProvider({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: APP, maxAttempts: 1 });
    providers.push(offline);
    const refused = await rejection(offline.generateDataKey({ keyId: keyA, encryptionContext: ctx }));
    expect(refused.code).toBe('KMSInternalException');
    expect(refused.cause).toBeDefined();
  });
});

describe('KmsWireServer authentication', () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.GenerateDataKey', ...headers },
      body: JSON.stringify({ KeyId: keyA, KeySpec: 'AES_256' }),
    });

  it('answers unsigned, malformed and unknown-key requests with the errors KMS uses', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'MissingAuthenticationTokenException'],
      [{ authorization: 'Bearer abc' }, 'UnrecognizedClientException'],
      [
        { authorization: `AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN/20250101/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}` },
        'UnrecognizedClientException',
      ],
    ];
    for (const [headers, code] of cases) {
      const res = await post(headers);
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype')).toBe(code);
      expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(await res.json()).toMatchObject({ __type: code, message: expect.any(String) });
    }
  });
});
