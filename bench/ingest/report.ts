import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces the "## <heading>" section of docs/benchmarks.md, or appends it; other sections
 * (e.g. "## Engine") are kept as they are. Without `subsection`, the section's own text is
 * replaced up to its first "### " subsection (those come from other runs, e.g. the
 * Elasticsearch one) and the subsections are kept; with it, only "### <subsection>" inside
 * the section is replaced (or appended to the section).
 */
export function writeSection(file: string, heading: string, body: string, subsection?: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  const block = (h: string) => `${h}\n\n${body.trim()}\n`;
  let out: string;
  if (start === -1) {
    out = `${text.trimEnd()}\n\n## ${heading}\n\n${subsection === undefined ? block('').trimStart() : block(`### ${subsection}`)}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end === -1) end = lines.length;
    let from: number;
    let to: number;
    let replacement: string;
    if (subsection === undefined) {
      from = start;
      const firstSub = lines.findIndex((l, i) => i > start && i < end && l.startsWith('### '));
      to = firstSub === -1 ? end : firstSub;
      replacement = `## ${heading}\n\n${body.trim()}\n`;
    } else {
      const sub = lines.findIndex((l, i) => i > start && i < end && l.trim() === `### ${subsection}`);
      from = sub === -1 ? end : sub;
      const next = sub === -1 ? -1 : lines.findIndex((l, i) => i > sub && i < end && l.startsWith('### '));
      to = sub === -1 ? end : next === -1 ? end : next;
      replacement = block(`### ${subsection}`);
    }
    out = [...lines.slice(0, from), ...replacement.split('\n'), ...lines.slice(to)].join('\n').replace(/\n{3,}/g, '\n\n');
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, out.endsWith('\n') ? out : `${out}\n`);
}
