import { z } from 'zod';

/** A KMS encryption context: non-secret string pairs bound to a ciphertext. */
export const EncryptionContextSchema = z.record(z.string().min(1).max(2048), z.string().max(2048));
export type EncryptionContext = z.infer<typeof EncryptionContextSchema>;
