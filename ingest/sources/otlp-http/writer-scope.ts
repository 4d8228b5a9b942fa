import { scopeProblem } from '../../../lib/auth/emitter-tokens';
import { OTLP_PATHS, type OtlpSignal } from '../../../lib/model/otel-attributes';
import { makeDeadLetter } from '../../pipeline/dead-letter';
import type { Writer } from '../intake-http/emitter-auth';
import { OTLP_SOURCE, type MappedRequest } from './map-request';

/** Quoted reasons in the partial-success message, as map-request.ts quotes them. */
const MAX_MESSAGES = 3;

/**
 * Key operations for a service or tenant outside the writer's token scope are rejected
 * like invalid ones: dead-lettered with the reason (the operation is valid, so it is kept
 * whole, as one refused for its time is) and counted in partialSuccess.
 */
export function applyWriterScope(signal: OtlpSignal, mapped: MappedRequest, writer: Writer, o: { requestId: string; receivedAt: Date }): MappedRequest {
  if (writer === null) return mapped;
  const keep = [];
  const deadLetters = [...(mapped.unit.deadLetters ?? [])];
  const messages = [...mapped.messages];
  for (const op of mapped.unit.keyOperations ?? []) {
    const problem = scopeProblem(writer.scope, op.service, op.tenant);
    if (problem === null) {
      keep.push(op);
      continue;
    }
    if (messages.length < MAX_MESSAGES) messages.push(`operation ${op.id}: ${problem}`);
    const payload = JSON.stringify(op);
    deadLetters.push(makeDeadLetter({
      source: OTLP_SOURCE,
      location: `POST ${OTLP_PATHS[signal]} request ${o.requestId} operation ${op.id} token ${writer.tokenId}`,
      reason: problem,
      payload,
      identity: `${signal}\0scope\0${writer.tokenId}\0${payload}`,
      receivedAt: o.receivedAt,
    }));
  }
  const refused = (mapped.unit.keyOperations?.length ?? 0) - keep.length;
  return { ...mapped, unit: { keyOperations: keep, deadLetters }, accepted: keep.length, rejected: mapped.rejected + refused, messages };
}
