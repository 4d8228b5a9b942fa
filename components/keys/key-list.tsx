'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useQueryStates } from 'nuqs';
import { useMemo, type FormEvent } from 'react';
import { formatCount, formatUtc, shortKek } from '@/lib/dashboard/format';
import { KEY_STATES } from '@/lib/model/key-state';
import type { KeyInventoryRow } from '@/lib/questions/key-inventory/definition';
import { Panel } from '@/components/oncall/panel';
import { clientEntityQueries } from './client-queries';
import { keyHref, principalHref } from './links';
import { RangeBar } from './range-bar';
import { KEY_SORTS, keyListFiltersOf, keyListUrlState, rangeSpecOf, type KeyListFilters, type KeySort } from './url-state';
import styles from '@/components/oncall/oncall.module.css';
import own from './entities.module.css';

const SORT_LABELS: Record<KeySort, string> = { key: 'account, Region, key', state: 'state', lastUsed: 'last used (newest first)', rotation: 'rotation off first' };

/** The page's order over the answer (the question sorts by account, Region, ARN). */
export function sortKeys(rows: readonly KeyInventoryRow[], sort: KeySort): KeyInventoryRow[] {
  const out = [...rows];
  if (sort === 'state') out.sort((a, b) => a.state.localeCompare(b.state));
  if (sort === 'lastUsed') out.sort((a, b) => (b.lastUsedAt ?? '').localeCompare(a.lastUsedAt ?? ''));
  if (sort === 'rotation') out.sort((a, b) => Number(a.rotationEnabled === true) - Number(b.rotationEnabled === true));
  return out;
}

/** The URL's filters over the listed keys. */
export function filterKeys(rows: readonly KeyInventoryRow[], f: KeyListFilters): KeyInventoryRow[] {
  return rows.filter((k) => (f.accountId === undefined || k.accountId === f.accountId) && (f.region === undefined || k.region === f.region) && (f.state === undefined || k.state === f.state));
}

/** /keys: every key of the inventory, filtered by account, Region and state, sorted as chosen. */
export function KeyList() {
  const [url, setUrl] = useQueryStates(keyListUrlState, { history: 'push' });
  const range = rangeSpecOf(url);
  const filters = useMemo(() => keyListFiltersOf(url), [url]);
  const query = useQuery(clientEntityQueries.keyList(range));
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim() || null;
    const state = text('state');
    void setUrl({ account: text('account'), region: text('region'), state: KEY_STATES.find((s) => s === state) ?? null, sort: (text('sort') as KeySort | null) ?? 'key' });
  };
  return (
    <>
      <RangeBar />
      <form className={own.filterBar} onSubmit={apply} aria-label="Filter keys" key={`${url.account}|${url.region}|${url.state}|${url.sort}`}>
        <label>account<input name="account" defaultValue={url.account ?? ''} placeholder="111122223333" pattern="\d{12}" /></label>
        <label>Region<input name="region" defaultValue={url.region ?? ''} placeholder="us-east-1" /></label>
        <label>state
          <select name="state" defaultValue={url.state ?? ''}>
            <option value="">any</option>
            {KEY_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>sort by
          <select name="sort" defaultValue={url.sort}>
            {KEY_SORTS.map((s) => <option key={s} value={s}>{SORT_LABELS[s]}</option>)}
          </select>
        </label>
        <button type="submit" className={styles.button}>Apply</button>
      </form>
      <Panel id="key-list" title="Keys" subtitle="top callers of each key's cryptographic calls in the range" query={query} isEmpty={(d) => filterKeys(d.keys, filters).length === 0} emptyText="No keys in the inventory match these filters.">
        {(d) => (
          <>
            {d.truncated ? <div className={styles.truncated}>Showing {d.keys.length} of {formatCount(d.total)} keys.</div> : null}
            <table className={styles.compactTable} data-testid="key-table">
              <thead><tr><th scope="col">key</th><th scope="col">aliases</th><th scope="col">account · Region</th><th scope="col">state</th><th scope="col">rotation</th><th scope="col">last used (UTC)</th><th scope="col">top callers</th></tr></thead>
              <tbody>
                {sortKeys(filterKeys(d.keys, filters), url.sort).map((k) => (
                  <tr key={k.keyArn} data-testid="key-row">
                    <td className={styles.keyCell} title={k.keyArn}><Link href={keyHref(k.keyArn, range)}>{shortKek(k.keyArn)}</Link></td>
                    <td>{k.aliases.join(', ') || '—'}</td>
                    <td>{k.accountId ?? '—'} · {k.region ?? '—'}</td>
                    <td data-testid="key-row-state">{k.state}</td>
                    <td>{k.rotationEnabled === null ? '?' : k.rotationEnabled ? 'on' : 'off'}</td>
                    <td>{k.lastUsedAt ? formatUtc(k.lastUsedAt, false) : '—'}</td>
                    <td className={styles.keyCell}>{k.topPrincipals.map((p, i) => <span key={p.principal}>{i > 0 ? ', ' : ''}<Link href={principalHref(p.principal, range)}>{p.principal}</Link> ({formatCount(p.calls)})</span>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Panel>
    </>
  );
}
