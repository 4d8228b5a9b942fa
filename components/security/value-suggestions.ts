'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import type { Completion } from '@/lib/query-language/suggest';
import { VALUE_FIELDS } from '@/lib/questions/audit-field-values/definition';
import { formatCount } from '@/lib/dashboard/format';
import { valueText, type CompletionOption } from './query-edit';
import { clientQueries } from './use-security-view';

type ValueField = (typeof VALUE_FIELDS)[number];
const isValueField = (f: string): f is ValueField => (VALUE_FIELDS as readonly string[]).includes(f);

/**
 * The seam for value completion: options for a value completion at the cursor. Today it asks
 * auditFieldValues (the facet fields only); other fields offer nothing. Replace this hook to
 * complete from another source; the query bar only needs CompletionOptions back.
 */
export function useValueSuggestions(completion: Completion, range: RangeSpec): CompletionOption[] {
  const field = completion?.kind === 'value' && isValueField(completion.field) ? completion.field : null;
  const prefix = completion?.kind === 'value' ? completion.prefix : '';
  const q = useQuery({
    ...clientQueries.fieldValues(range, field ?? 'event.action', prefix),
    enabled: field !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  if (field === null || q.data === undefined || q.data.field !== field) return [];
  return q.data.values.map((v) => ({ id: `v:${v.value}`, label: v.value, detail: `${formatCount(v.count)} events`, insert: valueText(field, v.value) }));
}
