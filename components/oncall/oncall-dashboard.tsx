'use client';

import type { SloDefinition } from '@/lib/detect/slo-config';
import { DekCacheHitChart } from './dek-cache-hit-chart';
import { FailureBreakdownChart } from './failure-breakdown-chart';
import { IngestHealthPanel } from './ingest-health-panel';
import { KmsThrottlingChart } from './kms-throttling-chart';
import { OnCallToolbar } from './oncall-toolbar';
import { SloCard } from './slo-card';
import { UnwrapLatencyChart } from './unwrap-latency-chart';
import { UnwrapSuccessChart } from './unwrap-success-chart';
import styles from './oncall.module.css';

/** Used when no latency SLO is configured: the seed target "unwrap p95 < 200 ms" (DESIGN.md). */
const DEFAULT_LATENCY_MS = 200;

/** The on-call page body: toolbar, one card per SLO, then the charts that explain them. */
export function OnCallDashboard({ slos }: { slos: readonly SloDefinition[] }) {
  const objectiveOf = (sli: SloDefinition['sli']) => slos.find((s) => s.sli === sli && Object.keys(s.filters).length === 0)?.objective ?? null;
  const latencyMs = slos.find((s) => s.sli === 'unwrap_latency')?.thresholdMs ?? DEFAULT_LATENCY_MS;
  return (
    <>
      <OnCallToolbar />
      <section className={styles.cards} aria-label="Service level objectives">
        {slos.length === 0 ? <p className={styles.faint}>No SLOs configured (KEYSCOPE_SLO_CONFIG lists none).</p> : null}
        {slos.map((slo) => (
          <SloCard key={slo.id} slo={slo} />
        ))}
      </section>
      <div className={styles.grid}>
        <UnwrapLatencyChart thresholdMs={latencyMs} />
        <UnwrapSuccessChart objective={objectiveOf('unwrap_success')} />
        <FailureBreakdownChart />
        <DekCacheHitChart objective={objectiveOf('cache_hit')} />
        <KmsThrottlingChart />
        <IngestHealthPanel />
      </div>
    </>
  );
}
