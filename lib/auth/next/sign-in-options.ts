import 'server-only';
import { loadConfig } from '../../config';
import { loadConfigFile } from '../../config-file';

export type SignInOptions = { providers: { id: string; name: string }[]; localAccounts: boolean };

/** What the sign-in form offers: the config file's OIDC providers (names only) and local accounts. */
export function signInOptions(): SignInOptions {
  const file = loadConfigFile(loadConfig().auth.configFile);
  return { providers: file.auth.oidc.map((p) => ({ id: p.id, name: p.name })), localAccounts: file.auth.localAccounts };
}
