/**
 * Event ids stored recently, with their event times: the next poll's overlap reads them
 * again, and they are skipped (and counted) before they reach the store. Only ids whose
 * write the store acknowledged are added, and ids older than the overlap are pruned, so
 * memory is the events of one overlap window.
 */
export class SeenIds {
  private readonly ids = new Map<string, number>();

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string, timeMs: number): void {
    this.ids.set(id, timeMs);
  }

  /** Forgets ids of events before `cutoffMs` (no window will read them again). */
  prune(cutoffMs: number): void {
    for (const [id, t] of this.ids) if (t < cutoffMs) this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
