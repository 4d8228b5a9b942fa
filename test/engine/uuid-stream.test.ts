import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@/lib/engine/random';
import { UuidStream } from '@/lib/engine/uuid-stream';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The plain definition: four mulberry32 words as 32 hex digits, version and variant patched. */
function referenceIds(seed: number, n: number): string[] {
  const words = new SeededRandom(Math.floor(new SeededRandom(seed).next() * 0x1_0000_0000));
  const hex8 = () => Math.floor(words.next() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return Array.from({ length: n }, () => {
    const h = hex8() + hex8() + hex8() + hex8();
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });
}

describe('UuidStream', () => {
  it('gives the plain definition id for id, across refills', () => {
    const ids = new UuidStream(new SeededRandom(42));
    // 200 ids: past three refills of 64.
    expect(Array.from({ length: 200 }, () => ids.uuid())).toEqual(referenceIds(42, 200));
  });

  it('gives version-4 UUIDs, all distinct, the same for the same seed and not for another', () => {
    const a = new UuidStream(new SeededRandom(7));
    const b = new UuidStream(new SeededRandom(7));
    const c = new UuidStream(new SeededRandom(8));
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const id = a.uuid();
      expect(id).toMatch(V4);
      expect(b.uuid()).toBe(id);
      seen.add(id);
    }
    expect(seen.size).toBe(50_000);
    expect(c.uuid()).not.toBe(new UuidStream(new SeededRandom(7)).uuid());
  });

  it('uses every hex digit and every variant nibble', () => {
    const ids = new UuidStream(new SeededRandom(3));
    const digits = new Set<string>();
    const variants = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = ids.uuid();
      for (const ch of id.replaceAll('-', '')) digits.add(ch);
      variants.add(id[19]!);
    }
    expect(digits.size).toBe(16);
    expect([...variants].sort()).toEqual(['8', '9', 'a', 'b']);
  });
});
