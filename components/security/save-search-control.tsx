'use client';

import { useState, type FormEvent } from 'react';
import { useSavedSearches, type SavedSearchesApi } from './saved-searches';
import { useSecurityUrl, useSecurityView } from './use-security-view';
import styles from './security.module.css';

/** Save the view (query, range, columns) under a name, or open and delete saved ones. */
export function SaveSearchControl({ api }: { api?: SavedSearchesApi }) {
  const { view, columns } = useSecurityView();
  const [url, setUrl] = useSecurityUrl();
  const { list, save, remove } = useSavedSearches(api);
  const [naming, setNaming] = useState(false);
  const [chosen, setChosen] = useState('');

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    if (!name) return;
    save.mutate({ name, query: view.query, range: view.range, columns: url.columns.length > 0 ? columns : [], shared: form.get('shared') === 'on' }, { onSuccess: () => setNaming(false) });
  };

  const open = (id: string) => {
    setChosen(id);
    const s = list.data?.find((x) => x.id === id);
    if (!s) return;
    const range = s.range.kind === 'preset' ? { range: s.range.preset, from: null, to: null } : { from: s.range.from, to: s.range.to };
    void setUrl({ ...range, query: s.query, columns: s.columns, cursors: null, event: null });
  };
  const selected = list.data?.find((x) => x.id === chosen);

  return (
    <div className={styles.saved} data-testid="saved-searches">
      <label className={styles.filterLabel}>
        <span>Saved searches</span>
        <select value={chosen} onChange={(e) => open(e.target.value)} disabled={!list.data || list.data.length === 0}>
          <option value="">{list.isError ? 'unavailable' : list.data && list.data.length === 0 ? 'none yet' : 'open…'}</option>
          {list.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.shared ? ' (shared)' : ''}
            </option>
          ))}
        </select>
      </label>
      {selected?.mine ? (
        <button type="button" className={styles.button} onClick={() => remove.mutate(selected.id, { onSuccess: () => setChosen('') })}>
          Delete
        </button>
      ) : null}
      <button type="button" className={styles.button} aria-expanded={naming} onClick={() => setNaming((v) => !v)}>
        Save search
      </button>
      {naming ? (
        <form className={styles.saveForm} onSubmit={submit} aria-label="Save this search">
          <label>
            name <input name="name" required maxLength={120} />
          </label>
          <label>
            <input type="checkbox" name="shared" /> shared with the team
          </label>
          <button type="submit" className={styles.button} disabled={save.isPending}>
            Save
          </button>
          {save.error ? <span role="alert" className={styles.formProblem}>{save.error.message}</span> : null}
        </form>
      ) : null}
    </div>
  );
}
