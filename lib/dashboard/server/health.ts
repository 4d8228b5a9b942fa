import 'server-only';
import { loadConfig } from '../../config';
import { loadConfigFile } from '../../config-file';
import { getAuth } from '../../auth/keyscope-auth';
import { hasAnyUser } from '../../auth/users';
import { logFailure } from './server-log';
import { storeAvailability } from './store-access';

export type HealthReport = {
  status: 'up' | 'down';
  store: { backend: string; state: 'ready' | 'no-data' | 'error' };
  auth: { database: 'ready' | 'error'; users: boolean | null; oidcProviders: number };
};

/** Up when the auth database answers and the store opens (no data yet is up: the page says so). */
export async function healthReport(requestId: string): Promise<HealthReport> {
  const config = loadConfig();
  const store = await storeAvailability(requestId);
  let users: boolean | null = null;
  try {
    users = await hasAnyUser(await getAuth());
  } catch (err) {
    logFailure(requestId, 'the auth database did not answer', err);
  }
  const oidcProviders = loadConfigFile(config.auth.configFile).auth.oidc.length;
  const status = store.state !== 'error' && users !== null ? 'up' : 'down';
  return { status, store: { backend: config.store.backend, state: store.state }, auth: { database: users === null ? 'error' : 'ready', users, oidcProviders } };
}
