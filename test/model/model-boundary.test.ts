import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rule that keeps lib/model free of keyscope's other parts (eslint.config.js). */
describe('lib/model boundary', () => {
  const eslint = new ESLint();
  const restricted = async (code: string, filePath = 'lib/model/probe.ts') => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line);
  };

  it('refuses imports of the engine, stores, ingest, queries, dashboard and config from lib/model', async () => {
    const code = [
      "import { KmsError } from '../engine/errors';",
      "import { loadConfig } from '../config';",
      "import type { Store } from '../store/types';",
      "import { x } from '../../ingest/log';",
      "import { y } from '@/lib/dashboard/format';",
      'export const all = [KmsError, loadConfig, x, y] as unknown as Store;',
    ].join('\n');
    expect(await restricted(code)).toEqual([1, 2, 3, 4, 5]);
    expect(await restricted("import { KmsError } from '../../engine/errors';\nexport const e = KmsError;", 'lib/model/cloudtrail/probe.ts')).toEqual([1]);
  }, 30_000);

  it('allows lib/model and libraries', async () => {
    const code = ["import { z } from 'zod';", "import { parseKekRef } from './kek-ref';", "import type { AuditEvent } from '../audit-event';", 'export const all = [z, parseKekRef] as unknown as AuditEvent;'].join('\n');
    expect(await restricted(code)).toEqual([]);
    expect(await restricted(code, 'lib/model/cloudtrail/probe.ts')).toEqual([]);
  }, 30_000);

  it('holds for the files there now', async () => {
    const results = await eslint.lintFiles(['lib/model/**/*.ts']);
    expect(results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}:${m.line}`))).toEqual([]);
    expect(results.length).toBeGreaterThan(10);
  }, 60_000);
});
