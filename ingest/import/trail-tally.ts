import type { FileCounts } from '../sources/cloudtrail-files/file-checkpoint';
import { trailKey, trailLocation } from '../sources/cloudtrail-files/trail-path';
import type { TrailCounts } from './import-summary';

/** Per account and Region of the trail layout: what the import read there. */
export class TrailTally {
  private readonly byTrail = new Map<string, TrailCounts>();

  add(path: string, c: FileCounts): void {
    const at = trailLocation(path);
    if (at === null) return;
    const key = trailKey(at);
    let t = this.byTrail.get(key);
    if (t === undefined) {
      t = { organizationId: at.organizationId, accountId: at.accountId, region: at.region, files: 0, recordsRead: 0, auditEvents: 0, notKms: 0, firstDay: at.day, lastDay: at.day };
      this.byTrail.set(key, t);
    }
    t.files++;
    t.recordsRead += c.records;
    t.auditEvents += c.auditEvents;
    t.notKms += c.notKms;
    if (at.day < t.firstDay) t.firstDay = at.day;
    if (at.day > t.lastDay) t.lastDay = at.day;
  }

  list(): TrailCounts[] {
    return [...this.byTrail.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, t]) => ({ ...t }));
  }
}
