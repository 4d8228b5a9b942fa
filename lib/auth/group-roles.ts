import { ROLE_PRECEDENCE, type Role } from './roles';

/**
 * The role an identity provider's groups claim grants through the config mapping, or null
 * for none. Decided on the server at every sign-in; the claim may be a list or one string.
 */
export function roleFromGroups(claim: unknown, mapping: Readonly<Record<string, Role>>): Role | null {
  const groups = Array.isArray(claim) ? claim.filter((g): g is string => typeof g === 'string') : typeof claim === 'string' ? [claim] : [];
  const granted = new Set(groups.flatMap((g) => (Object.hasOwn(mapping, g) ? [mapping[g]!] : [])));
  return ROLE_PRECEDENCE.find((r) => granted.has(r)) ?? null;
}
