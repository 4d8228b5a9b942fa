import type { Client } from '@elastic/elasticsearch';
import type { KeyState } from '../../model/key-state';
import type { IndexNames } from './names';

type StateSource = { keyscope: { record: KeyState } };
const PAGE = 1000;

/**
 * Every stored key state, paged with search_after on the key ARN (unique), so the list can
 * be longer than one search may return.
 */
export async function readKeyStates(client: Client, names: IndexNames): Promise<KeyState[]> {
  const out: KeyState[] = [];
  let after: string[] | undefined;
  for (;;) {
    const res = await client.search<StateSource>({
      index: names.entity('key-states'), ignore_unavailable: true, allow_no_indices: true, size: PAGE,
      sort: [{ 'keyscope.kek.arn': 'asc' }], _source: ['keyscope.record'], ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    out.push(...hits.map((h) => h._source!.keyscope.record));
    if (hits.length < PAGE) return out;
    after = hits[hits.length - 1]!.sort as string[];
  }
}
