import 'server-only';
import { loadConfig } from '../config';
import { sharedTokenAdminDb } from './emitter-token-db';
import { createEmitterToken, listEmitterTokens, revokeEmitterToken, type EmitterTokenSummary, type NewEmitterToken, type TokenOperator } from './emitter-tokens';

/** The dashboard's side of emitter tokens (the admin page and /api/admin/tokens), on this process's auth database. */
const db = () => sharedTokenAdminDb(loadConfig().auth.dbPath);

export function listTokens(): EmitterTokenSummary[] {
  return listEmitterTokens(db());
}

export function createToken(input: NewEmitterToken, by: TokenOperator): { token: string; summary: EmitterTokenSummary } {
  return createEmitterToken(db(), input, by);
}

export function revokeToken(idOrName: string, by: TokenOperator): EmitterTokenSummary {
  return revokeEmitterToken(db(), idOrName, by);
}
