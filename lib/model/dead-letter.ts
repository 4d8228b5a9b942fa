import { z } from 'zod';

/** Input that could not be stored, kept with why, so nothing vanishes silently. */
export const DeadLetterSchema = z
  .object({
    id: z.string().min(1).max(256),
    receivedAt: z.iso.datetime({ offset: true }),
    /** Which source: intake-http, cloudtrail-files, cloudtrail-api. */
    source: z.string().min(1).max(64),
    /** Where in the source: file path and record index, or request id and line number. */
    location: z.string().max(4096),
    reason: z.string().min(1).max(4096),
    /** The offending input, truncated; never decrypted material (there is none in these inputs). */
    payload: z.string().max(65536),
  })
  .strict();
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
