import type { SqliteAnswerOf } from '../define';
import type { keyInventoryQuestion } from './definition';
import type { KeyState } from '../../model/key-state';
import { inventoryRow, type KeyInventoryParams, type KeyInventoryResult, type KeyInventoryRow } from './definition';
import { keyStatesCountSql, keyStatesSql, topPrincipalsSql } from './sqlite-sql';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';

type PrincipalRow = { key_arn: string; principal: string; calls: number; failures: number };

export async function readKeyInventory(s: ReadSession, p: KeyInventoryParams): Promise<KeyInventoryResult> {
  const states = (await s.all<{ doc: string }>(keyStatesSql(p))).map((r) => JSON.parse(r.doc) as KeyState);
  const total = (await s.get<{ n: number }>(keyStatesCountSql(p)))?.n ?? 0;
  const top = new Map<string, KeyInventoryRow['topPrincipals']>();
  if (p.topPrincipals > 0 && states.length > 0) {
    const q = topPrincipalsSql(JSON.stringify(states.map((s) => s.keyArn)), Date.parse(p.from), Date.parse(p.to), p.topPrincipals);
    for (const r of await s.all<PrincipalRow>(q)) {
      const list = top.get(r.key_arn) ?? [];
      list.push({ principal: r.principal, calls: r.calls, failures: r.failures });
      top.set(r.key_arn, list);
    }
  }
  const keys = states.map((s) => inventoryRow(s, top.get(s.keyArn) ?? []));

  return { keys, total, truncated: total > keys.length };
}

export const sqliteAnswer: SqliteAnswerOf<typeof keyInventoryQuestion> = (ctx, p) => ctx.session((s) => readKeyInventory(s, p));
