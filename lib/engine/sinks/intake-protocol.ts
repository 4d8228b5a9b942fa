// The intake protocol is part of the model (lib/model/intake-protocol.ts); this re-export
// keeps old import paths working while callers move.
export * from '../../model/intake-protocol';
