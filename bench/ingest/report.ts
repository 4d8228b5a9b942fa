import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces the "## Ingest" section of docs/benchmarks.md (up to the next "## " heading),
 * or appends it; other sections (e.g. "## Engine") are kept as they are.
 */
export function writeSection(file: string, heading: string, body: string): void {
  const section = `## ${heading}\n\n${body.trim()}\n`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  let out: string;
  if (start === -1) {
    out = `${text.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end === -1) end = lines.length;
    out = [...lines.slice(0, start), ...section.split('\n'), ...lines.slice(end)].join('\n').replace(/\n{3,}/g, '\n\n');
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, out.endsWith('\n') ? out : `${out}\n`);
}
