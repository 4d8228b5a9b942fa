import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../ingest/log';
import { AlertScheduler, type EvaluationOutcome } from '../../ingest/scheduler/alert-scheduler';
import { DEFAULT_SLOS } from '../../lib/detect/slo-config';
import type { Alert } from '../../lib/model/alert';
import type { KeyOperation } from '../../lib/model/key-operation';
import type { Store } from '../../lib/store/types';
import { makeOperation } from '../support/event-fixtures';
import { openTempStore } from '../support/temp-store';
import { query } from './support/db';

const MIN = 60_000;
const T = Date.UTC(2026, 2, 1, 12, 0);
const UNWRAP_SUCCESS = DEFAULT_SLOS.find((s) => s.id === 'unwrap-success')!;

/** `perMinute` unwraps a minute over [fromMs, toMs), `failureShare` of them throttled. */
function unwraps(fromMs: number, toMs: number, perMinute: number, failureShare: number): KeyOperation[] {
  const out: KeyOperation[] = [];
  for (let t = fromMs; t < toMs; t += MIN) {
    for (let i = 0; i < perMinute; i++) {
      const failed = i < perMinute * failureShare;
      out.push({
        ...makeOperation(i), id: randomUUID(), time: new Date(t + i * 100).toISOString(), operation: 'unwrap',
        outcome: failed ? 'failure' : 'success', errorClass: failed ? 'throttled' : null, errorCode: failed ? 'ThrottlingException' : null,
        latencyMs: 12, cacheHit: true,
      });
    }
  }
  return out;
}

let store: Store;
let dbPath: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, path: dbPath, cleanup } = await openTempStore(() => T));
});
afterEach(async () => cleanup());

const scheduler = () => new AlertScheduler({ store, slos: [UNWRAP_SUCCESS], intervalMs: 60_000, logger: silentLogger() });
const storedAlerts = () => query<{ doc: string }>(dbPath, 'SELECT doc FROM alerts ORDER BY id').map((r) => JSON.parse(r.doc) as Alert);

describe('AlertScheduler', () => {
  it('writes nothing while every SLO is within budget', async () => {
    await store.writeBatch({ keyOperations: unwraps(T - 60 * MIN, T, 20, 0) });
    const [result] = await scheduler().evaluateOnce(T);
    expect(result).toMatchObject({ sloId: 'unwrap-success', state: 'ok', alerts: [] });
    expect(storedAlerts()).toEqual([]);
  });

  it('opens page and ticket alerts on a fast burn, keeps their ids while it lasts, and resolves them when it clears', async () => {
    // An hour of 20% failed unwraps against a 99.95% objective: a burn rate of 400.
    await store.writeBatch({ keyOperations: unwraps(T - 60 * MIN, T, 20, 0.2) });
    const [first] = await scheduler().evaluateOnce(T);
    expect(first!.state).toBe('page');
    const opened = storedAlerts();
    expect(opened.map((a) => [a.ruleId, a.severity, a.status])).toEqual([
      ['slo-burn-rate-page', 'critical', 'open'],
      ['slo-burn-rate-ticket', 'high', 'open'],
    ]);
    expect(opened[0]!.evidence).toMatchObject({ objective: 0.9995, threshold: 14.4, longWindow: { window: '1h' } });
    expect((opened[0]!.evidence.longWindow as { burnRate: number }).burnRate).toBeCloseTo(400, 0);
    // Windows end with the minute that holds `now`: the last hour is 59 minutes of data before T.
    expect((opened[0]!.evidence.windows as Record<string, { total: number }>)['1h']!.total).toBe(59 * 20);

    // Still burning a minute later, evaluated by a new scheduler (a restart): same alerts, later lastSeen.
    await store.writeBatch({ keyOperations: unwraps(T, T + MIN, 20, 0.2) });
    await scheduler().evaluateOnce(T + MIN);
    const still = storedAlerts();
    expect(still.map((a) => a.id)).toEqual(opened.map((a) => a.id));
    expect(still.every((a) => a.status === 'open' && a.firstSeen === new Date(T).toISOString() && a.lastSeen === new Date(T + MIN).toISOString())).toBe(true);

    // Healthy for the next 40 minutes: both short windows (5m, 30m) clear, so both alerts resolve.
    await store.writeBatch({ keyOperations: unwraps(T + MIN, T + 41 * MIN, 20, 0) });
    const [cleared] = await scheduler().evaluateOnce(T + 41 * MIN);
    expect(cleared!.state).toBe('ok');
    expect(storedAlerts().map((a) => [a.id, a.status])).toEqual(opened.map((a) => [a.id, 'resolved']));

    // A later burn is a new episode with new ids; the resolved alerts stay as they were.
    const later = T + 8 * 60 * MIN;
    await store.writeBatch({ keyOperations: unwraps(later - 60 * MIN, later, 20, 0.5) });
    await scheduler().evaluateOnce(later);
    const all = storedAlerts();
    expect(all).toHaveLength(4);
    expect(all.filter((a) => a.status === 'open').map((a) => a.firstSeen)).toEqual([new Date(later).toISOString(), new Date(later).toISOString()]);
  });

  it('evaluates on its interval once started and stops cleanly', async () => {
    await store.writeBatch({ keyOperations: unwraps(T - 60 * MIN, T, 20, 0.2) });
    let evaluated!: (outcome: EvaluationOutcome) => void;
    const first = new Promise<EvaluationOutcome>((resolve) => (evaluated = resolve));
    const s = new AlertScheduler({ store, slos: [UNWRAP_SUCCESS], intervalMs: 1000, logger: silentLogger(), clock: () => T, onEvaluated: (o) => evaluated(o) });
    s.start();
    // The first tick runs at once; its alerts are written when it reports.
    const outcome = await first;
    await s.stop();
    expect(outcome).toMatchObject({ results: [{ sloId: 'unwrap-success', state: 'page' }] });
    expect(storedAlerts()).toHaveLength(2);
  });
});
