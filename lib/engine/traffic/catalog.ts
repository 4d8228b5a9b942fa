import type { SeededRandom } from '../random';

/** What the simulation remembers of each object it stored: its index entry, not its bytes. */
export interface CatalogEntry {
  objectId: string;
  objectPath: string;
  service: string;
  tenant: string;
  kekId: string;
  kekVersion: string | null;
  bytes: number;
  encryptedAt: string;
  /** The envelope without its payload (see key-block.ts). */
  keyBlock: Buffer;
}

const SAMPLE_SIZE = 20_000;

interface StoredEnvelope {
  objectId: string;
  service: string;
  tenant: string;
  envelope: Buffer;
}

/**
 * The simulated object store. Every object keeps a small index entry (for the rewrap job
 * and the attacker of `compromise`); only a recent, byte-bounded reservoir keeps whole
 * envelopes, for reads. Both bounds hold whatever the run length.
 */
export class ObjectCatalog {
  private readonly index = new Map<string, CatalogEntry>();
  private readonly reservoir: StoredEnvelope[] = [];
  private reservoirBytes = 0;
  private evictedObjects = 0;
  /** A uniform sample of every object ever added (reservoir sampling), for bulk readers. */
  private readonly sample: CatalogEntry[] = [];
  private added = 0;

  constructor(
    private readonly limits: { maxObjects: number; maxReservoirBytes: number },
  ) {}

  add(entry: CatalogEntry, envelope: Buffer, random: SeededRandom): void {
    this.index.set(entry.objectId, entry);
    this.added += 1;
    if (this.sample.length < SAMPLE_SIZE) this.sample.push(entry);
    else {
      const j = random.int(0, this.added - 1);
      if (j < SAMPLE_SIZE) this.sample[j] = entry;
    }
    if (this.index.size > this.limits.maxObjects) {
      const oldest = this.index.keys().next().value as string;
      this.index.delete(oldest);
      this.evictedObjects += 1;
    }
    this.reservoir.push({ objectId: entry.objectId, service: entry.service, tenant: entry.tenant, envelope });
    this.reservoirBytes += envelope.length;
    while (this.reservoirBytes > this.limits.maxReservoirBytes && this.reservoir.length > 1) {
      this.reservoirBytes -= this.reservoir.shift()!.envelope.length;
    }
  }

  /** Records a rewrap: the index entry moves to the new KEK version. */
  update(objectId: string, kekVersion: string | null, keyBlock: Buffer): void {
    const e = this.index.get(objectId);
    if (e) {
      e.kekVersion = kekVersion;
      e.keyBlock = keyBlock;
    }
  }

  get size(): number {
    return this.index.size;
  }

  get evicted(): number {
    return this.evictedObjects;
  }

  /** A stored object of one of `services` to read, recent ones more likely (reads follow writes). */
  pickForRead(services: readonly string[], random: SeededRandom): StoredEnvelope | null {
    if (this.reservoir.length === 0) return null;
    for (let attempt = 0; attempt < 8; attempt++) {
      // Squaring a uniform draw leans towards the newest end of the reservoir.
      const u = random.next();
      const e = this.reservoir[this.reservoir.length - 1 - Math.floor(u * u * this.reservoir.length)]!;
      if (services.includes(e.service)) return e;
    }
    return null;
  }

  /** Any object ever stored, uniformly: a bulk reader does not prefer fresh data. */
  pickAny(random: SeededRandom): CatalogEntry | null {
    return this.sample.length === 0 ? null : random.pick(this.sample);
  }

  /** Walks the index in write order; entries updated while walking stay in place. */
  entries(): IterableIterator<CatalogEntry> {
    return this.index.values();
  }
}
