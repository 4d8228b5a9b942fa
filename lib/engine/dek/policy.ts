import type { EncryptionContext } from '../../model/encryption-context';
import type { Clock } from '../clock';
import { createHeaderTemplate } from '../envelope/seal';
import type { CallerIdentity, KekProvider } from '../kek/provider';
import type { SeededRandom } from '../random';
import { EncryptDekCache, type EncryptCacheLimits, type EncryptLease } from './encrypt-cache';
import { checkDekLength, singleUseLease } from './shared-dek';

/** How the engine obtains a DEK for each object it encrypts. */
export type DekPolicy =
  | { kind: 'per-object' }
  | ({ kind: 'cached' } & Omit<EncryptCacheLimits, 'maxEntries'> & { maxEntries?: number });

export const DEFAULT_ENCRYPT_CACHE_ENTRIES = 1024;

export interface DekRequest {
  encryptionContext: EncryptionContext;
  /** From canonicalizeContext; goes into the header. */
  canonicalContext: Buffer;
  /** canonicalContext as a latin1 string (bytes 1:1): names the cache partition. */
  contextKey: string;
  /** Plaintext bytes the DEK will encrypt (charged against the cache's byte bound). */
  bytes: number;
}

/**
 * Where encryption DEKs come from. `take` is synchronous so that a cache hit costs no
 * promise round trip; `generate` asks the key manager (and caches the key if the policy
 * does). Callers own the lease and must release it.
 */
export interface DekSource {
  readonly caching: boolean;
  take(req: DekRequest): EncryptLease | undefined;
  generate(req: DekRequest): Promise<EncryptLease>;
  /** Zeroes every cached DEK (engine shutdown). */
  clear(): void;
}

export interface DekSourceDeps {
  provider: KekProvider;
  kekId: string;
  clock: Clock;
  /** For DEK ids only (traffic shape); key bytes come from the key manager. */
  random: SeededRandom;
  caller?: CallerIdentity;
}

async function generateDataKey(deps: DekSourceDeps, req: DekRequest) {
  // The object's encryption context goes to the key manager too, so it is bound to the
  // wrapped DEK (and shows in the audit trail), as the AWS Encryption SDK does.
  const dk = await deps.provider.generateDataKey({ keyId: deps.kekId, encryptionContext: req.encryptionContext, caller: deps.caller });
  checkDekLength(dk.plaintext);
  try {
    const dekId = deps.random.uuid();
    const header = createHeaderTemplate({ dekId, kekId: dk.keyId, kekVersion: dk.kekVersion, wrappedDek: dk.ciphertextBlob, canonicalContext: req.canonicalContext });
    return { material: { dekId, keyId: dk.keyId, kekVersion: dk.kekVersion, wrappedDek: dk.ciphertextBlob, requestId: dk.requestId, header }, plaintext: dk.plaintext };
  } catch (err) {
    dk.plaintext.fill(0);
    throw err;
  }
}

export function createDekSource(policy: DekPolicy, deps: DekSourceDeps): DekSource {
  if (policy.kind === 'per-object') {
    return {
      caching: false,
      take: () => undefined,
      async generate(req) {
        const g = await generateDataKey(deps, req);
        return { material: g.material, lease: singleUseLease(g.plaintext) };
      },
      clear() {},
    };
  }
  const cache = new EncryptDekCache(
    { maxAgeMs: policy.maxAgeMs, maxMessages: policy.maxMessages, maxBytes: policy.maxBytes, maxEntries: policy.maxEntries ?? DEFAULT_ENCRYPT_CACHE_ENTRIES },
    deps.clock,
  );
  // The partition is the canonical context under the engine's one KEK (the cache belongs
  // to this source, which only ever asks for deps.kekId); distinct contexts never collide.
  return {
    caching: true,
    take: (req) => cache.take(req.contextKey, req.bytes),
    async generate(req) {
      const g = await generateDataKey(deps, req);
      return cache.put(req.contextKey, g.material, g.plaintext, req.bytes);
    },
    clear: () => cache.clear(),
  };
}
