import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config';
import { RoleSchema } from './auth/roles';

/**
 * keyscope's config file (KEYSCOPE_CONFIG, JSON): what does not fit in environment
 * variables. Today the sign-in section: OpenID Connect providers and how each one's groups
 * map to keyscope roles. Errors name the file, the field and the rule, never a value.
 */
const OidcProviderSchema = z
  .object({
    /** In the callback URL: <public URL>/api/auth/callback/<id>. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and -, at most 40'),
    /** The sign-in button says "Sign in with <name>". */
    name: z.string().min(1).max(60),
    /** The issuer's `.well-known/openid-configuration` URL. */
    discoveryUrl: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile', 'groups']),
    /** The ID token (or userinfo) claim listing the user's groups; Entra ID and Okta call it `groups`. */
    groupsClaim: z.string().min(1).default('groups'),
    /** Group name → role. A user whose groups map to no role cannot sign in. */
    roles: z.record(z.string().min(1), RoleSchema).refine((m) => Object.keys(m).length > 0, 'map at least one group to a role'),
  })
  .strict();
export type OidcProviderConfig = z.infer<typeof OidcProviderSchema>;

const ConfigFileSchema = z
  .object({
    auth: z
      .object({
        oidc: z.array(OidcProviderSchema).default([]),
        /** Email and password accounts (made by an admin; sign-up is always off). */
        localAccounts: z.boolean().default(true),
      })
      .strict()
      .default({ oidc: [], localAccounts: true }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.auth.oidc.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['auth', 'oidc', i, 'id'], message: `provider id "${p.id}" is used twice` });
      seen.add(p.id);
    });
  });
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export const EMPTY_CONFIG_FILE: ConfigFile = { auth: { oidc: [], localAccounts: true } };

export function parseConfigFile(text: string, where: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`invalid configuration file ${where}: not JSON (${(err as Error).message})`);
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration file ${where}: ${problems}`);
  }
  return parsed.data;
}

/** The file at `path`, or the empty configuration when no file is configured. */
export function loadConfigFile(path: string | null): ConfigFile {
  if (path === null) return EMPTY_CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`KEYSCOPE_CONFIG: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseConfigFile(text, path);
}
