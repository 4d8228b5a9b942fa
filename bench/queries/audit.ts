/**
 * `npm run bench:queries:audit -- --events=1000000,10000000 [--store=elasticsearch]`: the
 * /security page's questions (search with its total, facets, histogram) over a 24-hour and
 * a 30-day range, unfiltered and with a selective query, at each size, beside a raw
 * baseline measured in the same run; then the 10M / 1M ratio per question (issue 14 asks
 * at most 1.5), and the export rate (keyset pages of 5,000, no totals) against the store's
 * raw scan rate for the same rows (asks at least 0.5).
 *
 * Raw baselines: SQLite reads every row's `doc` of the range straight from audit_events
 * (no index help, what the export must at least do); Elasticsearch scrolls the range's
 * _source in pages of 5,000. Databases are built once per size under bench/results/.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { auditFacets, auditHistogram, auditSearch } from '../../lib/questions/registry';
import { openStore } from '../../lib/store';
import type { Store } from '../../lib/store/types';
import { benchEsConfig, benchNode, countDocs, createClient, serverVersion } from '../lib/elasticsearch';
import { medianOf3 } from '../lib/measure';
import { auditSqlitePath, buildAuditSqlite, loadAudit, reusableAuditSqlite } from './audit-dataset';
import { DAY, END, RESULTS_DIR, arg } from './dataset';

const SIZES = (arg('events') ?? '1000000').split(',').map(Number);
const STORE = arg('store') ?? 'sqlite';
const RANGES = [['24h', DAY], ['30d', 30 * DAY]] as const;
const QUERIES = [['all events', ''], ['selective', 'event.action:Decrypt and keyscope.principal.caller:"arn:aws:iam::111122223333:role/app-role-3"']] as const;

const time = medianOf3;

type Row = { range: string; query: string; question: string; ms: number };

async function questions(store: Store, before?: () => Promise<unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [label, span] of RANGES) {
    const range = { from: new Date(END - span).toISOString(), to: new Date(END).toISOString() };
    for (const [qLabel, query] of QUERIES) {
      const p = (q: { params: { parse(x: unknown): unknown } }) => q.params.parse({ ...range, query }) as never;
      rows.push({ range: label, query: qLabel, question: 'auditSearch (page of 50 + total)', ms: await time(() => store.answer(auditSearch, p(auditSearch)), before) });
      rows.push({ range: label, query: qLabel, question: 'auditFacets (10 facets, top 10)', ms: await time(() => store.answer(auditFacets, p(auditFacets)), before) });
      rows.push({ range: label, query: qLabel, question: 'auditHistogram', ms: await time(() => store.answer(auditHistogram, p(auditHistogram)), before) });
    }
  }
  return rows;
}

/** Every event of the last 24 hours through keyset pages, as the export reads them: rows/s. */
async function exportRate(store: Store): Promise<{ rows: number; perSecond: number }> {
  const base = auditSearch.params.parse({ from: new Date(END - DAY).toISOString(), to: new Date(END).toISOString(), limit: 5000, withTotal: false });
  const t = process.hrtime.bigint();
  let rows = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.answer(auditSearch, { ...base, ...(after === undefined ? {} : { after }) });
    rows += page.events.length;
    if (page.next === null) break;
    after = page.next;
  }
  return { rows, perSecond: rows / (Number(process.hrtime.bigint() - t) / 1e9) };
}

type SizeResult = { n: number; rows: Row[]; exportRows: number; exportRate: number; rawRate: number; baselineMs: number; note: string };

async function sqliteSize(n: number): Promise<SizeResult> {
  const path = auditSqlitePath(n);
  let note = `(database built in an earlier run: ${path})`;
  if (!(await reusableAuditSqlite(n))) note = `load through the store's writeBatch: ${(await buildAuditSqlite(n)).toLocaleString('en-US')} events/s`;
  const store = await openStore({ backend: 'sqlite', sqlitePath: path }, { mode: 'readonly' });
  const raw = new Database(path, { readonly: true });
  const from = END - DAY;
  const scan = raw.prepare('SELECT doc FROM audit_events NOT INDEXED WHERE time_ms >= ? AND time_ms < ?');
  let rawRows = 0;
  const baselineMs = await time(async () => {
    rawRows = 0;
    for (const r of scan.iterate(from, END) as Iterable<{ doc: string }>) rawRows += r.doc.length > 0 ? 1 : 0;
  });
  const rows = await questions(store);
  const ex = await exportRate(store);
  raw.close();
  await store.close();
  return { n, rows, exportRows: ex.rows, exportRate: ex.perSecond, rawRate: rawRows / (baselineMs / 1000), baselineMs, note };
}

async function elasticsearchSize(n: number): Promise<SizeResult> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const url = arg('es-url');
  const node = await benchNode(url, arg('es-heap') ?? '2g', log, url === undefined ? join(RESULTS_DIR, `elasticsearch-audit-${n}`) : undefined);
  try {
    const prefix = `bencha${n}`;
    const cfg = benchEsConfig(node.url, prefix);
    const admin = createClient(cfg);
    const alias = `${prefix}-audit-events`;
    let note = `Elasticsearch ${await serverVersion(admin)} (data loaded in an earlier run)`;
    if ((await countDocs(admin, `${alias}-*`)) !== n) {
      const indices = Object.keys(await admin.indices.get({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true }));
      if (indices.length > 0) await admin.indices.delete({ index: indices.join(',') });
      const writer = await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readwrite', elasticsearch: { refreshAfterWrite: false } });
      const rate = await loadAudit(writer, n);
      await writer.close();
      await admin.indices.refresh({ index: `${prefix}-*` });
      note = `Elasticsearch ${await serverVersion(admin)}, load through writeBatch: ${rate.toLocaleString('en-US')} events/s`;
    }
    const clearCache = () => admin.indices.clearCache({ index: `${prefix}-*`, request: true });
    const range = { range: { '@timestamp': { gte: new Date(END - DAY).toISOString(), lt: new Date(END).toISOString() } } };
    let rawRows = 0;
    const baselineMs = await time(async () => {
      rawRows = 0;
      let res = await admin.search({ index: alias, size: 5000, scroll: '1m', query: range, sort: ['_doc'] });
      while (res.hits.hits.length > 0) {
        rawRows += res.hits.hits.length;
        res = await admin.scroll({ scroll_id: res._scroll_id!, scroll: '1m' });
      }
      await admin.clearScroll({ scroll_id: res._scroll_id! });
    }, clearCache);
    const store = await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readonly' });
    await questions(store, clearCache); // a first pass, dropped: the node's search path is cold after start
    const rows = await questions(store, clearCache);
    const ex = await exportRate(store);
    await store.close();
    await admin.close();
    return { n, rows, exportRows: ex.rows, exportRate: ex.perSecond, rawRate: rawRows / (baselineMs / 1000), baselineMs, note };
  } finally {
    await node.stop();
  }
}

async function main(): Promise<void> {
  if (STORE !== 'sqlite' && STORE !== 'elasticsearch') throw new Error(`--store: sqlite or elasticsearch, not ${STORE}`);
  const results: SizeResult[] = [];
  for (const n of SIZES) results.push(STORE === 'sqlite' ? await sqliteSize(n) : await elasticsearchSize(n));
  const out: string[] = [];
  for (const r of results) {
    out.push(
      `Audit search on ${STORE}, ${r.n.toLocaleString('en-US')} audit events over 30 days (median of 3, ms); ${r.note}`,
      `raw baseline: the last 24 hours' rows read straight from the store: ${r.baselineMs.toFixed(1)} ms`,
      '',
      '| range | query | question | ms | ms / raw |',
      '|---|---|---|---:|---:|',
      ...r.rows.map((x) => `| ${x.range} | ${x.query} | ${x.question} | ${x.ms.toFixed(1)} | ${(x.ms / r.baselineMs).toFixed(2)} |`),
      '',
      `export of the last 24 hours (${r.exportRows.toLocaleString('en-US')} rows): ${Math.round(r.exportRate).toLocaleString('en-US')} rows/s; raw scan ${Math.round(r.rawRate).toLocaleString('en-US')} rows/s; ratio ${(r.exportRate / r.rawRate).toFixed(2)} (target ≥ 0.5)`,
      '',
    );
  }
  if (results.length >= 2) {
    const [small, big] = [results[0]!, results[results.length - 1]!];
    out.push(`| range | query | question | ${big.n / 1e6}M / ${small.n / 1e6}M (target ≤ 1.5) |`, '|---|---|---|---:|');
    small.rows.forEach((s, i) => out.push(`| ${s.range} | ${s.query} | ${s.question} | ${(big.rows[i]!.ms / s.ms).toFixed(2)} |`));
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:queries:audit: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
