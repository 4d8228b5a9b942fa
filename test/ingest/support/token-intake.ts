import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import pino from 'pino';
import { openTokenAdminDb } from '../../../lib/auth/emitter-token-db';
import { createEmitterToken, type NewEmitterToken } from '../../../lib/auth/emitter-tokens';
import { DEFAULT_TIME_BOUNDS } from '../../../lib/model/time-window';
import { Pipeline } from '../../../ingest/pipeline/pipeline';
import { EmitterTokenVerifier, type IntakeAuthMode } from '../../../ingest/sources/intake-http/emitter-auth';
import { INTAKE_SOURCE } from '../../../ingest/sources/intake-http/ndjson-handler';
import { IntakeServer, type IntakeServerOptions } from '../../../ingest/sources/intake-http/server';
import { openTempStore } from '../../support/temp-store';

export type TokenIntake = {
  url: string;
  dbPath: string;
  authDbPath: string;
  /** The auth database as an admin writes it (another connection than the intake's). */
  admin: Database.Database;
  server: IntakeServer;
  /** Everything the intake logged, at trace level. */
  logs: () => string;
  token: (t: NewEmitterToken) => { token: string; id: string };
  post: (path: string, body: string | Uint8Array, headers: Record<string, string>) => Promise<{ status: number; headers: Headers; bytes: Buffer; json: () => Record<string, unknown> }>;
  close: () => Promise<void>;
};

/** The intake with emitter tokens from a private auth database, over a private SQLite store. */
export async function startTokenIntake(
  o: { mode?: IntakeAuthMode; limits?: Partial<IntakeServerOptions['limits']> } & Pick<IntakeServerOptions, 'maxInflightBytes' | 'tokenRate'> = {},
): Promise<TokenIntake> {
  const temp = await openTempStore();
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-auth-'));
  const authDbPath = join(dir, 'auth.db');
  const admin = openTokenAdminDb(authDbPath);
  let logged = '';
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _e, cb) => ((logged += chunk.toString()), cb()) }));
  const pipeline = new Pipeline({ source: INTAKE_SOURCE, store: temp.store, batchRecords: 1000, batchMaxAgeMs: 20, logger });
  const server = new IntakeServer({
    host: '127.0.0.1',
    port: 0,
    limits: { maxBodyBytes: 1024 * 1024, maxDecompressedBytes: 4 * 1024 * 1024, ...o.limits },
    pipeline,
    health: async () => ({ ok: true }),
    logger,
    // The fixtures are dated January 2026.
    timeBounds: { ...DEFAULT_TIME_BOUNDS, liveRetentionMs: 20 * 365 * 24 * 3600_000 },
    tokens: new EmitterTokenVerifier({ dbPath: authDbPath, mode: o.mode ?? 'auto' }),
    ...(o.maxInflightBytes !== undefined ? { maxInflightBytes: o.maxInflightBytes } : {}),
    ...(o.tokenRate !== undefined ? { tokenRate: o.tokenRate } : {}),
  });
  const { url } = await server.listen();
  return {
    url,
    dbPath: temp.path,
    authDbPath,
    admin,
    server,
    logs: () => logged,
    token: (t) => {
      const made = createEmitterToken(admin, t, 'test');
      return { token: made.token, id: made.summary.id };
    },
    post: async (path, body, headers) => {
      const res = await fetch(url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
      const bytes = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString()) as Record<string, unknown> };
    },
    close: async () => {
      await server.close();
      await pipeline.close();
      admin.close();
      await temp.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
