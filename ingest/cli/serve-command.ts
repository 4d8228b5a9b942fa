import type { Config } from '../../lib/config';
import { createLogger } from '../log';
import { IngestService } from '../service';

export type ServeFlags = { watch?: string; db?: string };

/**
 * `ingest serve`: starts the service and runs until SIGTERM/SIGINT (clean stop, exit 0)
 * or a pipeline failure (stop, exit 1: a supervisor restarts it and the checkpoints
 * resume the work). A second signal during shutdown exits at once.
 */
export async function serveCommand(flags: ServeFlags, config: Config): Promise<number> {
  const logger = createLogger(config.logLevel, 1);
  const service = await IngestService.start({
    config: {
      ...config,
      store: flags.db ? { backend: 'sqlite', sqlitePath: flags.db } : config.store,
      ingest: { ...config.ingest, cloudTrailDir: flags.watch ?? config.ingest.cloudTrailDir },
    },
    logger,
  });
  const reason = await new Promise<{ signal: string } | { failure: Error }>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve({ signal }));
    void service.failed.then((failure) => resolve({ failure }));
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.warn({ signal }, 'second signal during shutdown; exiting now');
      process.exit(1);
    });
  }
  if ('signal' in reason) logger.info({ signal: reason.signal }, 'shutting down');
  else logger.fatal({ err: reason.failure.message }, 'store writes failed; shutting down');
  try {
    await service.stop();
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'shutdown did not complete cleanly');
    return 1;
  }
  return 'signal' in reason ? 0 : 1;
}
