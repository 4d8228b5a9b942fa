import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { hashToken, readTokenTable, tokenIdOf, type TokenScope, type TokenTable } from '../../../lib/auth/emitter-tokens';
import { UnauthorizedError } from './errors';

/** Who is writing: the token's id and scope; null when tokens are not required (an open loopback intake). */
export type Writer = { tokenId: string; name: string; scope: TokenScope } | null;

export type IntakeAuthMode = 'auto' | 'required';

const MISSING_DB_RECHECK_MS = 1000;

/**
 * Checks `Authorization: Bearer` against the emitter tokens in the auth database, opened
 * read-only. The table is re-read whenever another connection has committed (SQLite's
 * data_version, checked per request), so a revocation applies to the next request.
 * Tokens are required in mode `required`, or in `auto` once any token was ever made; once
 * required they stay required for the life of the process (revoking the last token, or
 * deleting the database, never opens the intake).
 */
export class EmitterTokenVerifier {
  private db: Database.Database | null = null;
  private table: TokenTable = { everMade: false, active: new Map(), revoked: new Map() };
  private version: number | null = null;
  private checkedMissingAt = -Infinity;
  private sticky: boolean;

  constructor(private readonly o: { dbPath: string; mode: IntakeAuthMode; now?: () => number }) {
    this.sticky = o.mode === 'required';
    this.refresh();
  }

  /** Whether requests must carry a token now. */
  get required(): boolean {
    this.refresh();
    return this.sticky;
  }

  authenticate(authorization: string | undefined): Writer {
    this.refresh();
    if (!this.sticky) return null;
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
    if (m === null) {
      throw new UnauthorizedError('this intake requires an emitter token: send Authorization: Bearer <token> (an admin makes one with npm run tokens -- create)', 'missing_token');
    }
    const hash = hashToken(m[1]!);
    const found = this.table.active.get(hash);
    if (found !== undefined) return { tokenId: found.id, name: found.name, scope: found.scope };
    const revoked = this.table.revoked.get(hash);
    if (revoked !== undefined) throw new UnauthorizedError(`emitter token ${revoked} was revoked: ask an admin for a new one`, 'revoked_token');
    const id = tokenIdOf(m[1]!);
    throw new UnauthorizedError(`unknown emitter token${id === null ? '' : ` ${id}`}: check the token your emitter sends`, 'invalid_token');
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  private refresh(): void {
    if (this.db === null) {
      const now = (this.o.now ?? Date.now)();
      if (now - this.checkedMissingAt < MISSING_DB_RECHECK_MS) return;
      this.checkedMissingAt = now;
      if (!existsSync(this.o.dbPath)) return;
      this.db = new Database(this.o.dbPath, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 2000');
    }
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version === this.version) return;
    this.table = readTokenTable(this.db);
    this.version = version;
    if (this.table.everMade) this.sticky = true;
  }
}
