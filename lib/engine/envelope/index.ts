/** The envelope format and its AES-256-GCM seal/open; see format.ts for the layout. */
export { AES_256_GCM, ALGORITHMS, FORMAT_VERSION, MAGIC } from './format';
export type { AlgorithmSuite, Envelope, KeyBlock, ParsedEnvelope } from './format';
export { canonicalizeContext, contextIncludes, decodeCanonicalContext } from './context';
export { decodeEnvelope, encodeEnvelope, envelopeLayout } from './binary';
export type { EnvelopeField } from './binary';
export { envelopeFromJson, envelopeToJson } from './json';
export type { EnvelopeJson } from './json';
export { createHeaderTemplate, openEnvelope, rewrapEnvelope, sealEnvelope } from './seal';
export type { HeaderTemplate } from './seal';
