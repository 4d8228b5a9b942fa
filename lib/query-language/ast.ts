/**
 * The audit-search query tree (docs/search-language.md). The parser builds it from text on
 * the client and the server alike; stores compile it from values, never from query text.
 */

/** UTF-16 offsets into the query text, end exclusive; errors and autocomplete use them. */
export type Span = { start: number; end: number };
export type WildcardSegment = { kind: 'literal'; text: string } | { kind: 'any' } /* '*' */ | { kind: 'one' } /* '?' */;
export type RangeBound = { value: string | number; inclusive: boolean }; // dates as ISO-8601 UTC strings with ms ("2026-01-02T03:04:05.000Z")
export type QueryNode =
  | { kind: 'all' } // the empty query
  | { kind: 'and'; children: QueryNode[] } // two or more
  | { kind: 'or'; children: QueryNode[] } // two or more
  | { kind: 'not'; child: QueryNode }
  | { kind: 'exists'; field: string } // field:*   (field has a non-null value)
  | { kind: 'term'; field: string; value: string | boolean } // exact, case-sensitive; text fields: contains-phrase, case-insensitive
  | { kind: 'wildcard'; field: string; segments: WildcardSegment[] } // keyword fields only, case-sensitive, whole-value match
  | { kind: 'range'; field: string; lower?: RangeBound; upper?: RangeBound } // date and keyword fields
  | { kind: 'cidr'; field: string; family: 4 | 6; network: string; prefix: number }; // ip fields; network normalised (host bits zero)
