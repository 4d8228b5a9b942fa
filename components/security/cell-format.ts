import type { ColumnValue } from '@/lib/export/columns';
import { TOTAL_CAP } from '@/lib/questions/audit-common';
import { formatCount } from '@/lib/dashboard/format';

/** A UTC instant to the second: audit rows need seconds that chart labels do not. */
export function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** One cell's text: a dash for no value, lists joined. */
export function cellText(field: string, v: ColumnValue): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.map(String).join(', ');
  if (field === '@timestamp' && typeof v === 'string') return formatInstant(v);
  return String(v);
}

/** The table's total: exact, or "at least 10,000" past the cap. */
export function totalText(total: { value: number; relation: 'eq' | 'gte' } | null): string {
  if (total === null) return '';
  return total.relation === 'gte' ? `at least ${formatCount(Math.max(total.value, TOTAL_CAP))}` : formatCount(total.value);
}
