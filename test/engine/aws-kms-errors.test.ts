import { describe, expect, it } from 'vitest';
import { toKmsError } from '../../lib/engine/kek/aws-kms';

describe('toKmsError', () => {
  it('keeps known codes, folds authentication failures into AccessDenied, unknown client faults into ValidationException', () => {
    const svc = (name: string, fault: 'client' | 'server') => Object.assign(new Error('m'), { name, $fault: fault });
    expect(toKmsError('Decrypt', svc('KMSInvalidStateException', 'client')).code).toBe('KMSInvalidStateException');
    expect(toKmsError('Decrypt', svc('UnrecognizedClientException', 'client')).code).toBe('AccessDeniedException');
    expect(toKmsError('Decrypt', svc('InvalidArnException', 'client')).code).toBe('ValidationException');
    expect(toKmsError('Decrypt', svc('SomethingNew', 'server')).code).toBe('KMSInternalException');
    expect(toKmsError('Decrypt', Object.assign(new Error('x'), { code: 'ETIMEDOUT' })).code).toBe('DependencyTimeoutException');
    const original = svc('ThrottlingException', 'client');
    const mapped = toKmsError('Decrypt', original);
    expect(mapped.cause).toBe(original);
    expect(mapped.message).toBe('Decrypt failed: ThrottlingException: m');
  });
});

describe('toKmsError for transport failures', () => {
  it('tells an unreachable KMS (reset, refused) from a slow one (timeout)', () => {
    // The SDK renames ECONNRESET to TimeoutError so that it retries; the socket code still says "unreachable".
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    expect(toKmsError('Encrypt', reset).code).toBe('KMSInternalException');
    expect(toKmsError('Encrypt', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })).code).toBe('KMSInternalException');
    expect(toKmsError('Encrypt', Object.assign(new Error('slow'), { name: 'TimeoutError' })).code).toBe('DependencyTimeoutException');
    expect(toKmsError('Encrypt', Object.assign(new Error('no creds'), { name: 'CredentialsProviderError' })).code).toBe('AccessDeniedException');
    expect(toKmsError('Encrypt', 'a string').code).toBe('KMSInternalException');
  });
});
