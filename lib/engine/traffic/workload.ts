import type { Clock } from '../clock';
import { decodeEnvelope } from '../envelope/binary';
import type { CallerIdentity } from '../kek/provider';
import type { SeededRandom } from '../random';
import type { CatalogEntry, ObjectCatalog } from './catalog';
import type { Estate, ServiceWorkers } from './estate';
import { keyBlockOnly } from './key-block';
import type { TrafficCounters } from './progress';
import { SERVICES, TENANTS, objectSize, type ServiceSpec } from './topology';

/**
 * The four kinds of work the generator schedules: a service writes an object, a service
 * reads one, the rewrap job moves one to the current KEK version, the attacker decrypts
 * one. Each goes through the same engine and KMS paths real traffic takes.
 */
export class Workload {
  /** Payload bytes: one random buffer, sliced; the content is irrelevant, its size is not. */
  private readonly payload: Buffer;
  private readonly writers: ReadonlyArray<readonly [ServiceSpec, number]>;
  private readonly readers: ReadonlyArray<readonly [ServiceSpec, number]>;
  private rewrapCursor: IterableIterator<CatalogEntry> | null = null;

  constructor(
    private readonly estate: Estate,
    private readonly catalog: ObjectCatalog,
    private readonly clock: Clock,
    private readonly random: SeededRandom,
    readonly counters: TrafficCounters,
  ) {
    this.payload = Buffer.alloc(2 * 1024 * 1024, 0x5a);
    this.writers = SERVICES.filter((s) => s.writeWeight > 0).map((s) => [s, s.writeWeight] as const);
    this.readers = SERVICES.filter((s) => s.readWeight > 0).map((s) => [s, s.readWeight] as const);
  }

  private worker(service: string): { w: ServiceWorkers; index: number } {
    const w = this.estate.services.get(service)!;
    return { w, index: this.random.int(0, w.engines.length - 1) };
  }

  async write(): Promise<void> {
    const spec = this.random.weighted(this.writers);
    const tenant = this.random.weighted(TENANTS);
    const size = objectSize(spec.kind, this.random);
    const id = this.random.uuid();
    const day = new Date(this.clock.now()).toISOString().slice(0, 10).replaceAll('-', '/');
    const objectPath =
      spec.kind === 'message' ? `msg://${spec.name}/${tenant}/${day}/${id}` : `s3://keyscope-${spec.name}-${tenant}/${day}/${id}.${spec.kind === 'export' ? 'csv.gz' : 'bin'}`;
    const { w, index } = this.worker(spec.name);
    try {
      const { envelope, dekRecord } = await w.engines[index]!.encryptObject({
        objectId: id,
        objectPath,
        tenant,
        plaintext: this.payload.subarray(0, size),
        encryptionContext: { tenant, service: spec.name, 'data-class': spec.kind },
      });
      this.counters.objectsWritten += 1;
      this.catalog.add(
        { objectId: id, objectPath, service: spec.name, tenant, kekId: dekRecord.kekId, kekVersion: dekRecord.kekVersion, bytes: size, encryptedAt: dekRecord.encryptedAt, keyBlock: keyBlockOnly(envelope) },
        envelope,
        this.random,
      );
    } catch {
      this.counters.failures += 1;
    }
  }

  async read(): Promise<void> {
    const spec = this.random.weighted(this.readers);
    const stored = this.catalog.pickForRead(spec.readsFrom, this.random);
    if (!stored) return;
    const { w, index } = this.worker(spec.name);
    try {
      await w.engines[index]!.decryptObject({ envelope: stored.envelope, tenant: stored.tenant, objectId: stored.objectId, expectedContext: { tenant: stored.tenant } });
      this.counters.objectsRead += 1;
    } catch {
      this.counters.failures += 1;
    }
  }

  /**
   * Moves the next object still under an old KEK version to its key's current version.
   * Returns false when a full pass found nothing to move.
   */
  async rewrapNext(currentVersion: (keyArn: string) => string | null): Promise<boolean> {
    this.rewrapCursor ??= this.catalog.entries();
    for (;;) {
      const next = this.rewrapCursor.next();
      if (next.done) {
        this.rewrapCursor = null;
        return false;
      }
      const e = next.value;
      if (e.kekVersion === currentVersion(e.kekId)) continue;
      const { w, index } = this.worker(e.service);
      try {
        const { envelope, dekRecord } = await w.engines[index]!.rewrapObject({
          envelope: e.keyBlock,
          objectId: e.objectId,
          objectPath: e.objectPath,
          tenant: e.tenant,
          encryptedAt: e.encryptedAt,
          bytes: e.bytes,
        });
        this.catalog.update(e.objectId, dekRecord.kekVersion, envelope);
        this.counters.rewrapped += 1;
      } catch {
        this.counters.failures += 1;
      }
      return true;
    }
  }

  /** The attacker unwraps a stored object's DEK straight from KMS, as a stolen key would. */
  async attackerDecrypt(attacker: CallerIdentity): Promise<void> {
    const e = this.catalog.pickAny(this.random);
    if (!e) return;
    const env = decodeEnvelope(e.keyBlock);
    try {
      const key = await this.estate.kms.decrypt({ ciphertextBlob: env.wrappedDek, encryptionContext: env.encryptionContext, caller: attacker });
      key.plaintext.fill(0);
      this.counters.attackerDecrypts += 1;
    } catch {
      this.counters.failures += 1;
    }
  }
}
