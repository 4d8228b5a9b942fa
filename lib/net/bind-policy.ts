import { isIP } from 'node:net';
import { ConfigError } from '../config';

/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * keyscope binds loopback unless told otherwise; another address is refused while nothing
 * would ask who is calling (`signIn` names what would, e.g. "an OIDC provider or a local account").
 */
export function assertBindAllowed(o: { what: string; host: string; setting: string; signInConfigured: boolean; signIn: string }): void {
  if (isLoopbackHost(o.host) || o.signInConfigured) return;
  throw new ConfigError(`${o.what}: refusing to listen on ${o.host} (${o.setting}): no sign-in method is configured, so anyone who can reach it could use it. Configure ${o.signIn}, or keep the default 127.0.0.1.`);
}
