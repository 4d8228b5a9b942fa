import { z } from 'zod';
import { checkAuditRange, auditRangeShape } from '../questions/audit-common';
import { RANGE_PRESETS } from '../dashboard/time-range';
import { parseQuery } from '../query-language/parse';
import { ColumnsSchema } from '../export/columns';

/** A search's range: a preset that ends at "now" when opened, or a fixed window (the shapes of lib/dashboard/time-range.ts). */
export const SavedRangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preset'), preset: z.enum(RANGE_PRESETS) }).strict(),
  z.object({ kind: z.literal('absolute'), ...auditRangeShape }).strict().superRefine(checkAuditRange),
]);
export type SavedRange = z.infer<typeof SavedRangeSchema>;

/** The query bar's text, kept as typed; it must parse, so a saved search always opens (the message names the position). */
const QueryTextSchema = z.string().max(4096, 'a query may be at most 4,096 characters').superRefine((text, ctx) => {
  const r = parseQuery(text);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `${r.error.message} (at ${r.error.span.start}-${r.error.span.end})` });
});

/** What POST /api/saved-searches takes. */
export const NewSavedSearchSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(120, 'a name may be at most 120 characters'),
    query: QueryTextSchema,
    range: SavedRangeSchema,
    columns: ColumnsSchema.default([]),
    shared: z.boolean().default(false),
  })
  .strict();
export type NewSavedSearch = z.input<typeof NewSavedSearchSchema>;

/** A saved search as the API answers it; `mine` is whether the asking user owns it. */
export const SavedSearchSchema = z.object({
  id: z.uuid(),
  ownerId: z.string(),
  ownerEmail: z.string(),
  name: z.string(),
  query: z.string(),
  range: SavedRangeSchema,
  columns: z.array(z.string()),
  shared: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  mine: z.boolean(),
});
export type SavedSearch = z.infer<typeof SavedSearchSchema>;

export const SavedSearchListSchema = z.object({ savedSearches: z.array(SavedSearchSchema) });

export const SavedSearchIdSchema = z.object({ id: z.uuid('a saved search id: a UUID') }).strict();
