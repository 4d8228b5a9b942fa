import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/cloudtrail/public: records AWS produced and others published (sources and licences in its README). */
export const PUBLIC_CORPUS_DIR = fileURLToPath(new URL('../fixtures/cloudtrail/public', import.meta.url));

export type CorpusRecord = { file: string; line: number; record: Record<string, unknown> };

export function publicCorpus(): CorpusRecord[] {
  const out: CorpusRecord[] = [];
  for (const file of readdirSync(PUBLIC_CORPUS_DIR).filter((f) => f.endsWith('.ndjson')).sort()) {
    readFileSync(join(PUBLIC_CORPUS_DIR, file), 'utf8').split('\n').forEach((text, i) => {
      if (text.trim().length > 0) out.push({ file, line: i + 1, record: JSON.parse(text) as Record<string, unknown> });
    });
  }
  return out;
}

export const isKms = (r: Record<string, unknown>) => r.eventSource === 'kms.amazonaws.com';
