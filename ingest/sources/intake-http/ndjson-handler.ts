import type { TimeBounds } from '../../../lib/model/time-window';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { INTAKE_PATHS } from '../../../lib/model/intake-protocol';
import type { Pipeline } from '../../pipeline/pipeline';
import { validateNdjsonLines } from '../../pipeline/ndjson-lines';
import type { LineKind } from '../../pipeline/validate-line';
import { EmptyBodyError } from './errors';
import { checkNdjsonHeaders, readBody, type BodyLimits } from './read-body';
import type { Reply } from './responses';

export const INTAKE_SOURCE = 'intake-http';

export type NdjsonHandlerContext = { pipeline: Pipeline; limits: BodyLimits; now: () => Date; timeBounds?: TimeBounds };

/** What a request did, for the access log (never the lines themselves). */
export type NdjsonOutcome = { requestId: string; lines: number; accepted: number; rejected: number };

/**
 * POST /v1/operations | /v1/dek-records: every line validated with the record's schema;
 * good lines stored, bad lines dead-lettered with their reason, and the answer sent only
 * once the store has committed both, as the client counts a 2xx as stored
 * (lib/model/intake-protocol.ts): 200 all stored, 207 some refused (listed), 400 all refused.
 */
export async function handleNdjson(kind: LineKind, req: IncomingMessage, ctx: NdjsonHandlerContext): Promise<Reply & { outcome: NdjsonOutcome }> {
  const { gzip } = checkNdjsonHeaders(req);
  const body = await readBody(req, gzip, ctx.limits);
  const lines = body.toString('utf8').split('\n');
  // CRLF senders: the \r is not part of the record.
  for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  const requestId = randomUUID();
  const path = INTAKE_PATHS[kind];
  const result = validateNdjsonLines(kind, lines, 1, {
    source: INTAKE_SOURCE,
    location: (line) => `POST ${path} request ${requestId} line ${line}`,
    // The line's bytes, not the request: a batch resent after a lost answer dead-letters once.
    identity: (_line, text) => `${kind}\0${text}`,
    receivedAt: ctx.now(),
    times: { mode: 'live', bounds: ctx.timeBounds },
  });
  const total = result.accepted + result.rejections.length;
  if (total === 0) throw new EmptyBodyError('request body has no records: send one JSON record per line');
  const receipt = await ctx.pipeline.submit(result.unit, { urgent: true });
  await receipt.committed;
  const status = result.rejections.length === 0 ? 200 : result.accepted === 0 ? 400 : 207;
  return {
    status,
    body: { accepted: result.accepted, rejected: result.rejections },
    outcome: { requestId, lines: total, accepted: result.accepted, rejected: result.rejections.length },
  };
}
