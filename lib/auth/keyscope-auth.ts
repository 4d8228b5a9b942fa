import { loadConfig, type Config } from '../config';
import { loadConfigFile } from '../config-file';
import { resolveAuthSecret } from './auth-secret';
import { createAuth } from './create-auth';

let instance: ReturnType<typeof createAuth> | undefined;

/** This process's auth, from the environment and the config file; tables ready before use. */
export async function getAuth(config: Pick<Config, 'auth'> = loadConfig()) {
  instance ??= createAuth({
    dbPath: config.auth.dbPath,
    secret: resolveAuthSecret(config.auth.secret, config.auth.dbPath),
    publicUrl: config.auth.publicUrl,
    configFile: loadConfigFile(config.auth.configFile),
  });
  const made = instance;
  try {
    await made.ready;
  } catch (err) {
    // Not cached: the next request tries again (the file may have been unwritable for a moment).
    if (instance === made) instance = undefined;
    made.db.close();
    throw err;
  }
  return made.auth;
}
