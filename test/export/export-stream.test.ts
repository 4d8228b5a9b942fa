import { describe, expect, it } from 'vitest';
import { columnSpecs } from '../../lib/export/columns';
import { csvEncoder, ndjsonEncoder } from '../../lib/export/encoders';
import { exportAuditEvents, type AuditSearchQuestion, type ExportEnd } from '../../lib/export/export-stream';
import type { AuditRow } from '../../lib/questions/audit-common';
import { auditSearchQuestion, type AuditSearchParams } from '../../lib/questions/audit-search/definition';
import { parseCsv, row } from './support';

const question = auditSearchQuestion as unknown as AuditSearchQuestion;
const search = auditSearchQuestion.params.parse({ from: '2026-03-02T10:00:00Z', to: '2026-03-02T12:00:00Z', query: 'event.action:Decrypt', limit: 5, withTotal: false });

/** A store over `total` rows, `limit` per page, cursor = offset; each call is recorded, and a call can be held until released. */
function fakeStore(total: number, opts: { hold?: number } = {}) {
  const all = Array.from({ length: total }, (_, i) => row(i));
  const calls: Array<{ after: string | undefined; signal: AbortSignal | undefined }> = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  let entered: () => void = () => undefined;
  const holding = new Promise<void>((r) => (entered = r));
  const store = {
    answer: async (_q: unknown, p: AuditSearchParams, o?: { signal?: AbortSignal | undefined }) => {
      calls.push({ after: p.after, signal: o?.signal });
      if (opts.hold === calls.length) {
        entered();
        await Promise.race([held, new Promise((_, reject) => o?.signal?.addEventListener('abort', () => reject(new Error('read cancelled'))))]);
      }
      const start = p.after === undefined ? 0 : Number(p.after);
      const events: AuditRow[] = all.slice(start, start + p.limit);
      const end = start + events.length;
      return { events, total: null, next: end < total ? String(end) : null };
    },
  } as never;
  return { store, calls, all, release, holding };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

function ends() {
  const seen: ExportEnd[] = [];
  let done: (e: ExportEnd) => void = () => undefined;
  const ended = new Promise<ExportEnd>((r) => (done = r));
  return { seen, ended, onEnd: (e: ExportEnd) => (seen.push(e), done(e)) };
}

describe('the export loop', () => {
  it('reads every page in order with the previous cursor, limit 5000-style paging, and writes each row once', async () => {
    const s = fakeStore(12);
    const e = ends();
    const specs = columnSpecs(['event.id', 'event.action']);
    const text = await readAll(await exportAuditEvents({ store: s.store, question, search, encoder: csvEncoder(specs), signal: new AbortController().signal, onEnd: e.onEnd }));
    expect(s.calls.map((c) => c.after)).toEqual([undefined, '5', '10']);
    const records = parseCsv(text);
    expect(records[0]).toEqual(['event.id', 'event.action']);
    expect(records.slice(1).map((r) => r[0])).toEqual(s.all.map((r) => r.id));
    expect(await e.ended).toEqual({ ended: 'complete', rows: 12 });
    expect(e.seen).toHaveLength(1);
  });

  it('an empty result is the header alone (CSV) or nothing (NDJSON)', async () => {
    for (const [encoder, expected] of [[csvEncoder(columnSpecs(['event.id'])), 'event.id\r\n'], [ndjsonEncoder(null), '']] as const) {
      const e = ends();
      const text = await readAll(await exportAuditEvents({ store: fakeStore(0).store, question, search, encoder, signal: new AbortController().signal, onEnd: e.onEnd }));
      expect(text).toBe(expected);
      expect(await e.ended).toEqual({ ended: 'complete', rows: 0 });
    }
  });

  it('stops at the cap mid-page, reads no further, and NDJSON says so in a last line', async () => {
    const s = fakeStore(40);
    const e = ends();
    const text = await readAll(await exportAuditEvents({ store: s.store, question, search, encoder: ndjsonEncoder(null), signal: new AbortController().signal, cap: 12, onEnd: e.onEnd }));
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(13);
    expect(lines.slice(0, 12).map((l) => l.id)).toEqual(s.all.slice(0, 12).map((r) => r.id));
    expect(lines[12]).toEqual({ truncated: true, rows: 12, rowCap: 12 });
    expect(s.calls).toHaveLength(3);
    expect(await e.ended).toEqual({ ended: 'truncated', rows: 12 });
  });

  it('exactly the cap with nothing after it is complete, not truncated', async () => {
    const s = fakeStore(10);
    const e = ends();
    const text = await readAll(await exportAuditEvents({ store: s.store, question, search, encoder: ndjsonEncoder(null), signal: new AbortController().signal, cap: 10, onEnd: e.onEnd }));
    expect(text.trimEnd().split('\n')).toHaveLength(10);
    expect(await e.ended).toEqual({ ended: 'complete', rows: 10 });
  });

  it('pulls one page per read: nothing is read ahead of the client', async () => {
    const s = fakeStore(50);
    const reader = (await exportAuditEvents({ store: s.store, question, search, encoder: ndjsonEncoder(null), signal: new AbortController().signal, onEnd: () => undefined })).getReader();
    expect(s.calls).toHaveLength(1);
    await reader.read();
    expect(s.calls).toHaveLength(1);
    await reader.read();
    expect(s.calls).toHaveLength(2);
    await reader.cancel();
  });

  it('a client that cancels mid-stream aborts the read in flight and causes no further store calls', async () => {
    const s = fakeStore(50, { hold: 3 });
    const e = ends();
    const reader = (await exportAuditEvents({ store: s.store, question, search, encoder: ndjsonEncoder(null), signal: new AbortController().signal, onEnd: e.onEnd })).getReader();
    await reader.read();
    await reader.read();
    const pending = reader.read();
    await s.holding;
    expect(s.calls[2]!.signal!.aborted).toBe(false);
    await reader.cancel();
    expect(s.calls[2]!.signal!.aborted).toBe(true);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await e.ended).toEqual({ ended: 'cancelled', rows: 10 });
    s.release();
    expect(s.calls).toHaveLength(3);
  });

  it("the request's signal aborting ends the export as cancelled and stops the store", async () => {
    const s = fakeStore(50, { hold: 2 });
    const e = ends();
    const request = new AbortController();
    const reader = (await exportAuditEvents({ store: s.store, question, search, encoder: ndjsonEncoder(null), signal: request.signal, onEnd: e.onEnd })).getReader();
    await reader.read();
    const next = reader.read();
    await s.holding;
    request.abort();
    await expect(next).rejects.toThrow();
    expect(s.calls[1]!.signal!.aborted).toBe(true);
    expect(await e.ended).toEqual({ ended: 'cancelled', rows: 5 });
    expect(s.calls).toHaveLength(2);
  });

  it('a failing first page rejects before any byte; a later failure errors the stream; both are reported once', async () => {
    const boom = new Error('disk I/O error');
    const first = ends();
    const failing = { answer: async () => Promise.reject(boom) } as never;
    await expect(exportAuditEvents({ store: failing, question, search, encoder: ndjsonEncoder(null), signal: new AbortController().signal, onEnd: first.onEnd })).rejects.toBe(boom);
    expect(await first.ended).toEqual({ ended: 'failed', rows: 0, error: boom });

    let n = 0;
    const s = fakeStore(50);
    const later = { answer: async (...a: unknown[]) => (++n === 2 ? Promise.reject(boom) : (s.store as { answer: (...x: unknown[]) => unknown }).answer(...a)) } as never;
    const second = ends();
    await expect(readAll(await exportAuditEvents({ store: later, question, search, encoder: ndjsonEncoder(null), signal: new AbortController().signal, onEnd: second.onEnd }))).rejects.toBe(boom);
    expect(await second.ended).toEqual({ ended: 'failed', rows: 5, error: boom });
    expect(second.seen).toHaveLength(1);
  });

  it('a store whose cursor does not move is an error, not an endless file', async () => {
    const stuck = { answer: async () => ({ events: [row(1)], total: null, next: 'same' }) } as never;
    const e = ends();
    await expect(readAll(await exportAuditEvents({ store: stuck, question, search, encoder: ndjsonEncoder(null), signal: new AbortController().signal, onEnd: e.onEnd }))).rejects.toThrow(/cursor/);
    expect((await e.ended).ended).toBe('failed');
  });
});
