'use client';

import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { parseQuery } from '@/lib/query-language/parse';
import { completionAt, suggestFields } from '@/lib/query-language/suggest';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import { replaceSpan, type CompletionOption } from './query-edit';
import { useValueSuggestions } from './value-suggestions';
import styles from './security.module.css';

const FIELDS_SHOWN = 12;

type Props = {
  /** The applied query (the URL's); the bar edits a copy until Search. */
  applied: string;
  range: RangeSpec;
  onApply: (query: string) => void;
};

/**
 * The query bar: parsed on every keystroke (the error and its span under the bar), field
 * names completed from the catalog and values from useValueSuggestions, applied with Enter
 * or Search. A combobox: arrows move, Enter or Tab accept, Escape closes.
 */
export function QueryBar({ applied, range, onApply }: Props) {
  const [text, setText] = useState(applied);
  const [cursor, setCursor] = useState(applied.length);
  const [open, setOpen] = useState(false);
  // -1: nothing highlighted, so Enter searches; arrows pick an option first.
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();
  const listId = `${ids}-list`;
  const errorId = `${ids}-error`;

  const parsed = useMemo(() => parseQuery(text), [text]);
  const completion = useMemo(() => (open ? completionAt(text, cursor) : null), [open, text, cursor]);
  const values = useValueSuggestions(completion, range);
  const options: CompletionOption[] = useMemo(() => {
    if (completion?.kind === 'field') {
      return suggestFields(completion.prefix, FIELDS_SHOWN).map((f) => ({ id: `f:${f.name}`, label: f.name, detail: f.description, insert: `${f.name}:` }));
    }
    return completion?.kind === 'value' ? values : [];
  }, [completion, values]);
  const showList = open && options.length > 0;

  const edit = (next: string, at: number) => {
    setText(next);
    setCursor(at);
    setActive(-1);
    setOpen(true);
  };

  const accept = (o: CompletionOption) => {
    if (!completion) return;
    const r = replaceSpan(text, completion.span, o.insert);
    edit(r.text, r.cursor);
    // A value ends the clause: close until the next keystroke.
    if (completion.kind === 'value') setOpen(false);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(r.cursor, r.cursor);
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    if (parsed.ok) onApply(text.trim());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!showList) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = options.length;
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
    } else if ((e.key === 'Enter' && active >= 0) || e.key === 'Tab') {
      e.preventDefault();
      accept(options[Math.max(active, 0)]!);
    }
  };

  const error = parsed.ok ? null : parsed.error;
  return (
    <form className={styles.queryForm} onSubmit={submit} role="search" aria-label="Audit events">
      <div className={styles.queryRow}>
        <div className={styles.comboWrap}>
          <label htmlFor={`${ids}-q`} className={styles.visuallyHidden}>
            Query
          </label>
          <input
            ref={input}
            id={`${ids}-q`}
            name="query"
            className={styles.queryInput}
            data-state={error ? 'invalid' : 'valid'}
            type="text"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            placeholder='e.g. event.action:Decrypt and not event.outcome:success and source.ip:"10.0.0.0/8"'
            value={text}
            aria-expanded={showList}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={showList && active >= 0 ? `${ids}-opt-${active}` : undefined}
            aria-invalid={error !== null}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => edit(e.target.value, e.target.selectionStart ?? e.target.value.length)}
            onSelect={(e) => setCursor(e.currentTarget.selectionStart ?? text.length)}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
          />
          <ul id={listId} role="listbox" aria-label="Suggestions" className={styles.listbox} hidden={!showList}>
            {showList
              ? options.map((o, i) => (
                  <li
                    key={o.id}
                    id={`${ids}-opt-${i}`}
                    role="option"
                    aria-selected={i === active}
                    className={styles.option}
                    // mousedown, not click: the input must not blur (and close the list) first.
                    onMouseDown={(e) => {
                      e.preventDefault();
                      accept(o);
                    }}
                  >
                    <span className={styles.optionLabel}>{o.label}</span>
                    <span className={styles.optionDetail}>{o.detail}</span>
                  </li>
                ))
              : null}
          </ul>
        </div>
        <button type="submit" className={styles.primary} disabled={error !== null}>
          Search
        </button>
      </div>
      {error ? (
        <div id={errorId} className={styles.queryError} role="alert" data-testid="query-error">
          <div>{error.message}</div>
          <code className={styles.queryEcho} aria-hidden="true">
            {text.slice(0, error.span.start)}
            <span className={styles.squiggle} data-testid="query-error-span">
              {error.span.end > error.span.start ? text.slice(error.span.start, error.span.end) : '\u00a0'}
            </span>
            {text.slice(error.span.end)}
          </code>
        </div>
      ) : text.trim() !== applied.trim() ? (
        <div className={styles.queryHint}>Press Enter or Search to apply.</div>
      ) : null}
    </form>
  );
}
