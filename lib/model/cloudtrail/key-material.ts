import type { CloudTrailRecord } from '../cloudtrail-record';
import { bounded, optionalString } from './problems';

/**
 * Which key material (KEK version) a call used or made current. KMS writes it in several
 * places depending on the event:
 * - data-plane calls: additionalEventData.keyMaterialId;
 * - ReEncrypt: additionalEventData.destinationKeyMaterialId / sourceKeyMaterialId;
 * - RotateKey (automatic, or the one KMS logs after RotateKeyOnDemand):
 *   serviceEventDetails.currentKeyMaterialId / previousKeyMaterialId;
 * - ImportKeyMaterial: responseElements.keyMaterialId; DeleteExpiredKeyMaterial:
 *   serviceEventDetails.keyMaterialId; DeleteImportedKeyMaterial: requestParameters.keyMaterialId.
 * The RotateKeyOnDemand API call itself names no material: its RotateKey event does.
 */
export interface KeyMaterialIds {
  keyMaterialId: string | null;
  previousKeyMaterialId: string | null;
}

const MAX = 256;

function pick(candidates: ReadonlyArray<readonly [string, string | undefined]>): string | null {
  for (const [path, value] of candidates) if (value !== undefined) return bounded(path, value, MAX);
  return null;
}

export function keyMaterialIds(record: CloudTrailRecord): KeyMaterialIds {
  const aed = record.additionalEventData;
  const sed = record.serviceEventDetails;
  // Every candidate is read, so that a wrongly typed one is reported whichever wins.
  const current = [
    ['additionalEventData.keyMaterialId', optionalString(aed, 'keyMaterialId', 'additionalEventData')],
    ['serviceEventDetails.currentKeyMaterialId', optionalString(sed, 'currentKeyMaterialId', 'serviceEventDetails')],
    ['serviceEventDetails.keyMaterialId', optionalString(sed, 'keyMaterialId', 'serviceEventDetails')],
    ['responseElements.keyMaterialId', optionalString(record.responseElements, 'keyMaterialId', 'responseElements')],
    ['requestParameters.keyMaterialId', optionalString(record.requestParameters, 'keyMaterialId', 'requestParameters')],
  ] as const;
  const previous = [
    ['serviceEventDetails.previousKeyMaterialId', optionalString(sed, 'previousKeyMaterialId', 'serviceEventDetails')],
    ['additionalEventData.previousKeyMaterialId', optionalString(aed, 'previousKeyMaterialId', 'additionalEventData')],
  ] as const;
  return { keyMaterialId: pick(current), previousKeyMaterialId: pick(previous) };
}

/** ReEncrypt: the destination's material is the call's; the source's belongs to its source side. */
export function reEncryptMaterialIds(record: CloudTrailRecord): { destination: string | null; source: string | null } {
  const aed = record.additionalEventData;
  return {
    destination: pick([['additionalEventData.destinationKeyMaterialId', optionalString(aed, 'destinationKeyMaterialId', 'additionalEventData')]]),
    source: pick([['additionalEventData.sourceKeyMaterialId', optionalString(aed, 'sourceKeyMaterialId', 'additionalEventData')]]),
  };
}
