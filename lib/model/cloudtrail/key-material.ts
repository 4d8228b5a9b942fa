import { bounded, optionalString } from './problems';
import type { CloudTrailRecordView } from './record-view';

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

/** The first candidate present and within bounds. */
function pick(candidates: ReadonlyArray<string | undefined>): string | null {
  for (const value of candidates) {
    const v = bounded(value, MAX);
    if (v !== null) return v;
  }
  return null;
}

export function keyMaterialIds(record: CloudTrailRecordView): KeyMaterialIds {
  const aed = record.additionalEventData;
  const sed = record.serviceEventDetails;
  const current = [
    optionalString(aed, 'keyMaterialId'),
    optionalString(sed, 'currentKeyMaterialId'),
    optionalString(sed, 'keyMaterialId'),
    optionalString(record.responseElements, 'keyMaterialId'),
    optionalString(record.requestParameters, 'keyMaterialId'),
  ];
  const previous = [
    optionalString(sed, 'previousKeyMaterialId'),
    optionalString(aed, 'previousKeyMaterialId'),
  ];
  return { keyMaterialId: pick(current), previousKeyMaterialId: pick(previous) };
}

/** ReEncrypt: the destination's material is the call's; the source's belongs to its source side. */
export function reEncryptMaterialIds(record: CloudTrailRecordView): { destination: string | null; source: string | null } {
  const aed = record.additionalEventData;
  return {
    destination: pick([optionalString(aed, 'destinationKeyMaterialId')]),
    source: pick([optionalString(aed, 'sourceKeyMaterialId')]),
  };
}
