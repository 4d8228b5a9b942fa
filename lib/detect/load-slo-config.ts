import { readFile } from 'node:fs/promises';
import { DEFAULT_SLOS, SloConfigError, parseSloConfig, type SloDefinition } from './slo-config';

// Kept apart from slo-config.ts so the SLO schema (which the dashboard's browser code
// reaches through lib/questions) never pulls node:fs into a client bundle.

/** Loads the SLO file at `path` (from lib/config.ts), or the defaults when no path is configured. */
export async function loadSloConfig(path: string | null): Promise<SloDefinition[]> {
  if (path === null) return [...DEFAULT_SLOS];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SloConfigError(`${path}: cannot read SLO configuration: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SloConfigError(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  return parseSloConfig(json, path);
}
