/**
 * Finds secrets (DEKs, KEKs, root keys) in outputs, in the forms they could leak as:
 * raw bytes, hex (either case), base64 and base64url. Indexed by prefix so that scanning
 * megabytes of output for thousands of keys stays linear in the output size.
 */
const PREFIX = 12;

function forms(secret: Buffer): string[] {
  return [
    secret.toString('latin1'),
    secret.toString('hex'),
    secret.toString('hex').toUpperCase(),
    secret.toString('base64').replace(/=+$/, ''),
    secret.toString('base64url'),
  ];
}

export function findSecrets(outputs: ReadonlyMap<string, Buffer>, secrets: readonly Buffer[]): string[] {
  const byPrefix = new Map<string, Array<{ form: string; index: number }>>();
  secrets.forEach((s, index) => {
    for (const form of forms(s)) {
      const key = form.slice(0, PREFIX);
      const list = byPrefix.get(key) ?? [];
      list.push({ form, index });
      byPrefix.set(key, list);
    }
  });
  const found = new Set<string>();
  for (const [name, content] of outputs) {
    const text = content.toString('latin1');
    for (let i = 0; i + PREFIX <= text.length; i++) {
      const candidates = byPrefix.get(text.slice(i, i + PREFIX));
      if (!candidates) continue;
      for (const c of candidates) if (text.startsWith(c.form, i)) found.add(`${name}: secret #${c.index}`);
    }
  }
  return [...found].sort();
}
