/** `scheme://user:password@host` → `scheme://[redacted]@host`, wherever it appears in a text. */
export function stripUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, '$1[redacted]@');
}
