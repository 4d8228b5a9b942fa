/**
 * The secret part of an emitter token (kse_<16 hex id>_<43 base64url>). Not split('_'):
 * base64url has underscores of its own, and a fragment of the secret proves nothing.
 */
export function tokenSecretOf(token: string): string {
  const m = /^kse_[0-9a-f]{16}_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) throw new Error('not an emitter token');
  return m[1]!;
}
