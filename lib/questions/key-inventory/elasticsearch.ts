import type { ElasticsearchAnswerOf } from '../define';
import type { keyInventoryQuestion } from './definition';
import type { KeyState } from '../../model/key-state';
import { inventoryRow, type KeyInventoryParams, type KeyInventoryResult, type KeyInventoryRow } from './definition';
import type { IndexNames } from '../../store/elasticsearch/names';
import { keyPrincipalsRequest, keyStatesRequest } from './elasticsearch-request';
import { allCompositeBuckets, type Searcher } from '../../store/elasticsearch/search';

type StateSource = { keyscope: { record: KeyState } };

export async function readKeyInventory(search: Searcher, names: IndexNames, p: KeyInventoryParams): Promise<KeyInventoryResult> {
  const res = await search(keyStatesRequest(p, names.entity('key-states')));
  const states = res.hits.hits.map((h) => (h._source as StateSource).keyscope.record);
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  const top = new Map<string, KeyInventoryRow['topPrincipals']>();
  if (p.topPrincipals > 0 && states.length > 0) {
    const arns = states.map((s) => s.keyArn);
    const pairs = await allCompositeBuckets(search, (after) => keyPrincipalsRequest(arns, Date.parse(p.from), Date.parse(p.to), names.alias('audit-events'), after), 'pairs');
    for (const b of pairs) {
      const list = top.get(String(b.key.key)) ?? [];
      list.push({ principal: String(b.key.principal), calls: b.doc_count, failures: (b.failures as { doc_count: number }).doc_count });
      top.set(String(b.key.key), list);
    }
    for (const [arn, list] of top) {
      list.sort((a, b) => b.calls - a.calls || (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
      top.set(arn, list.slice(0, p.topPrincipals));
    }
  }
  const keys = states.map((s) => inventoryRow(s, top.get(s.keyArn) ?? []));

  return { keys, total, truncated: total > keys.length };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof keyInventoryQuestion> = (ctx, p) => readKeyInventory(ctx.search, ctx.names, p);
