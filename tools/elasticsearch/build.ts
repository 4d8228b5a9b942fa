import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the launcher is built: classes and every jar Maven resolved for it. */
export const TOOL_DIR = new URL('.', import.meta.url).pathname;
const TARGET = join(TOOL_DIR, 'target');
const STAMP = join(TARGET, 'keyscope-build.sha256');

/** Hash of what the build reads (the pom and the Java sources), so an unchanged tree skips Maven. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(path.slice(TOOL_DIR.length)).update(readFileSync(path));
    }
  };
  hash.update(readFileSync(join(TOOL_DIR, 'pom.xml')));
  walk(join(TOOL_DIR, 'src'));
  return hash.digest('hex');
}

export type BuildOptions = { log?: (line: string) => void };

/**
 * Builds the launcher once: Maven resolves the Elasticsearch server jar, the netty4 HTTP
 * transport and their dependencies from Maven Central (cached in ~/.m2 between runs, so a
 * fresh clone downloads nothing twice), compiles the three launcher classes and copies
 * the jars to target/lib. Returns the classpath.
 */
export function buildLauncher(options: BuildOptions = {}): string {
  const hash = sourceHash();
  const built = existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash;
  if (!built) {
    options.log?.('building the Elasticsearch launcher with Maven (first run downloads ~70 MB from Maven Central)');
    const mvn = spawnSync('mvn', ['-B', '-q', '-f', join(TOOL_DIR, 'pom.xml'), 'package'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (mvn.error !== undefined) throw new Error(`could not run Maven (mvn): ${mvn.error.message}; install Maven 3 and Java 17+`);
    if (mvn.status !== 0) {
      throw new Error(`Maven failed to build tools/elasticsearch (exit ${mvn.status}):\n${(mvn.stdout + mvn.stderr).trim().slice(-4000)}`);
    }
    writeFileSync(STAMP, hash);
  }
  const jars = readdirSync(join(TARGET, 'lib')).filter((f) => f.endsWith('.jar')).sort().map((f) => join(TARGET, 'lib', f));
  return [join(TARGET, 'classes'), ...jars].join(':');
}
