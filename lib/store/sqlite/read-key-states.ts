import type { KeyState } from '../../model/key-state';
import type { StatementCache } from './statement-cache';

/** Every stored key state, as written: what the key inventory continues from after a restart. */
export function readKeyStates(cache: StatementCache): KeyState[] {
  return cache.all<{ doc: string }>({ sql: 'SELECT doc FROM key_states ORDER BY key_arn', params: {} }).map((r) => JSON.parse(r.doc) as KeyState);
}
