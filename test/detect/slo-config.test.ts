import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { loadSloConfig } from '../../lib/detect/load-slo-config';
import { DEFAULT_SLOS, SloConfigError, SloDefinitionSchema, parseSloConfig } from '../../lib/detect/slo-config';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-slo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Next.js declares NODE_ENV required on ProcessEnv; these tests pass a bare environment. */
const env = (vars: Record<string, string>): NodeJS.ProcessEnv => vars as unknown as NodeJS.ProcessEnv;

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('SLO defaults', () => {
  it('carry the seed targets and are valid definitions', () => {
    for (const slo of DEFAULT_SLOS) expect(SloDefinitionSchema.parse(slo)).toEqual(slo);
    const byId = Object.fromEntries(DEFAULT_SLOS.map((s) => [s.id, s]));
    expect(byId['unwrap-success']).toMatchObject({ sli: 'unwrap_success', objective: 0.9995, windowDays: 30 });
    expect(byId['unwrap-latency']).toMatchObject({ sli: 'unwrap_latency', thresholdMs: 200, objective: 0.95, windowDays: 30 });
    expect(byId['dek-cache-hit']).toMatchObject({ sli: 'cache_hit', objective: 0.95, windowDays: 30 });
  });

  it('apply when no file is configured', async () => {
    expect(loadConfig(env({})).sloConfigPath).toBeNull();
    expect(await loadSloConfig(null)).toEqual(DEFAULT_SLOS);
  });
});

describe('SLO config file', () => {
  it('loads definitions and defaults the filters', async () => {
    const path = file('ok.json', JSON.stringify({
      slos: [{ id: 'billing-unwrap', name: 'Billing unwraps', sli: 'unwrap_success', objective: 0.999, windowDays: 7, filters: { service: 'billing-export' } },
        { id: 'fast', name: 'Fast', sli: 'unwrap_latency', thresholdMs: 50, objective: 0.9, windowDays: 1 }],
    }));
    expect(loadConfig(env({ KEYSCOPE_SLO_CONFIG: path })).sloConfigPath).toBe(path);
    const slos = await loadSloConfig(path);
    expect(slos.map((s) => s.id)).toEqual(['billing-unwrap', 'fast']);
    expect(slos[1]!.filters).toEqual({});
  });

  it('names the file, the SLO and the field in errors', async () => {
    const path = file('bad.json', JSON.stringify({
      slos: [
        { id: 'ok-one', name: 'ok', sli: 'cache_hit', objective: 0.95, windowDays: 30 },
        { id: 'latency', name: 'Latency', sli: 'unwrap_latency', objective: 1, windowDays: 30 },
        { name: 'no id', sli: 'unwrap_success', objective: 0.99, windowDays: 30 },
      ],
    }));
    const err = await loadSloConfig(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SloConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain(path);
    expect(msg).toMatch(/SLO "latency", field "objective": must be below 1/);
    expect(msg).toMatch(/SLO "latency", field "thresholdMs": required for the unwrap_latency SLI/);
    expect(msg).toMatch(/SLO #3, field "id"/);
    expect(msg).not.toContain('ok-one');
  });

  it('rejects duplicate ids, unknown fields, a threshold on a non-latency SLI', () => {
    const base = { name: 'x', sli: 'unwrap_success', objective: 0.99, windowDays: 30 };
    expect(() => parseSloConfig({ slos: [{ id: 'a', ...base }, { id: 'a', ...base }] }, 'f.json')).toThrow(/f\.json.*duplicate SLO id "a"/);
    expect(() => parseSloConfig({ slos: [{ id: 'a', ...base, windowdays: 3 }] }, 'f.json')).toThrow(/SLO "a"/);
    expect(() => parseSloConfig({ slos: [{ id: 'a', ...base, thresholdMs: 100 }] }, 'f.json')).toThrow(/field "thresholdMs": only applies/);
  });

  it('reports unreadable files and invalid JSON with the path', async () => {
    await expect(loadSloConfig(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: cannot read SLO configuration/);
    await expect(loadSloConfig(file('broken.json', '{ "slos": ['))).rejects.toThrow(/broken\.json: not valid JSON/);
  });
});
