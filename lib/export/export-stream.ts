import type { AuditRow } from '../questions/audit-common';
import type { auditSearchQuestion, AuditSearchParams } from '../questions/audit-search/definition';
import type { Question } from '../questions/define';
import type { Store } from '../store/types';
import type { RowEncoder, Truncation } from './encoders';

/** The most rows one export writes (docs/security.md): past it the stream ends, NDJSON saying so in a last line. */
export const EXPORT_ROW_CAP = 1_000_000;

type Def = typeof auditSearchQuestion;
export type AuditSearchQuestion = Question<'auditSearch', Def['params'], Def['result']>;

export type ExportEnd =
  | { ended: 'complete'; rows: number }
  | { ended: 'truncated'; rows: number }
  | { ended: 'cancelled'; rows: number }
  | { ended: 'failed'; rows: number; error: unknown };

export type ExportOptions = {
  store: Pick<Store, 'answer'>;
  question: AuditSearchQuestion;
  search: Omit<AuditSearchParams, 'after'>;
  encoder: RowEncoder;
  /** The request's: a closed tab stops the store read in flight. */
  signal: AbortSignal;
  cap?: number;
  /** Called once however the export ends (the audit log); its failure does not reach the client. */
  onEnd: (end: ExportEnd) => void | Promise<void>;
};

type Page = { events: readonly AuditRow[]; next: string | null };

/**
 * Every matching event, newest first, as a byte stream pulled one store page at a time:
 * nothing is read ahead of the client (high-water mark 0), so memory stays one page. The
 * first page is read before this resolves, so a bad store is a proper HTTP error, not a cut file.
 */
export async function exportAuditEvents(o: ExportOptions): Promise<ReadableStream<Uint8Array>> {
  const cap = o.cap ?? EXPORT_ROW_CAP;
  const stop = new AbortController();
  const signal = AbortSignal.any([o.signal, stop.signal]);
  const bytes = new TextEncoder();
  let rows = 0;
  let ended = false;
  const end = (e: ExportEnd): void => {
    if (ended) return;
    ended = true;
    void Promise.resolve().then(() => o.onEnd(e)).catch(() => undefined);
  };
  const read = async (after: string | undefined): Promise<Page> => {
    if (signal.aborted) throw signal.reason;
    const page = await o.store.answer(o.question, { ...o.search, ...(after === undefined ? {} : { after }) }, { signal });
    // A cursor that does not move would loop for ever.
    if (page.next !== null && page.next === after) throw new Error('the store returned the cursor it was given');
    return page;
  };
  const failed = (err: unknown) => end(signal.aborted ? { ended: 'cancelled', rows } : { ended: 'failed', rows, error: err });

  let page: Page | null;
  let cursor: string | undefined;
  try {
    page = await read(undefined);
  } catch (err) {
    failed(err);
    throw err;
  }
  let text = o.encoder.header;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Pages with no rows (a store may return one) are read through, so every chunk has bytes.
          for (;;) {
            const current: Page = page ?? (await read(cursor));
            page = null;
            cursor = current.next ?? undefined;
            const room = cap - rows;
            const take = current.events.length > room ? current.events.slice(0, room) : current.events;
            for (const r of take) text += o.encoder.row(r);
            rows += take.length;
            const cut = rows >= cap && (current.events.length > take.length || current.next !== null);
            if (cut || current.next === null) {
              const truncation: Truncation | null = cut ? { rows, rowCap: cap } : null;
              text += o.encoder.trailer(truncation);
              if (text !== '') controller.enqueue(bytes.encode(text));
              controller.close();
              end({ ended: cut ? 'truncated' : 'complete', rows });
              return;
            }
            if (text !== '') {
              controller.enqueue(bytes.encode(text));
              text = '';
              return;
            }
          }
        } catch (err) {
          failed(err);
          controller.error(err);
        }
      },
      cancel() {
        stop.abort();
        end({ ended: 'cancelled', rows });
      },
    },
    { highWaterMark: 0 },
  );
}
