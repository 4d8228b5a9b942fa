import type { IncomingMessage } from 'node:http';
import { OTLP_PATHS, type OtlpSignal } from '../../../lib/model/otel-attributes';
import type { Reply } from '../intake-http/responses';
import { handleOtlp, type OtlpHandlerContext, type OtlpRequestContext } from './otlp-handler';

/** Records seen per signal since start: `dropped` are those that were not key operations. */
export type OtlpTotals = Record<OtlpSignal, { requests: number; records: number; accepted: number; rejected: number; dropped: number }>;

export function emptyOtlpTotals(): OtlpTotals {
  const zero = () => ({ requests: 0, records: 0, accepted: 0, rejected: 0, dropped: 0 });
  return { traces: zero(), logs: zero() };
}

/** The OTLP/HTTP receiver's routes, for the intake server to serve beside its NDJSON ones. */
export function otlpRoutes(ctx: OtlpHandlerContext, totals: OtlpTotals): Array<[string, { POST: (req: IncomingMessage, rc: OtlpRequestContext) => Promise<Reply> }]> {
  const route = (signal: OtlpSignal) => async (req: IncomingMessage, rc: OtlpRequestContext): Promise<Reply> => {
    const { outcome, ...reply } = await handleOtlp(signal, req, { ...ctx, ...rc });
    if (outcome) {
      const t = totals[signal];
      t.requests += 1;
      t.records += outcome.records;
      t.accepted += outcome.accepted;
      t.rejected += outcome.rejected;
      t.dropped += outcome.dropped;
    }
    ctx.logger.debug({ path: req.url, ...outcome, status: reply.status }, 'otlp export');
    return reply;
  };
  return [
    [OTLP_PATHS.traces, { POST: route('traces') }],
    [OTLP_PATHS.logs, { POST: route('logs') }],
  ];
}
