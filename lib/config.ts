import { z } from 'zod';

/**
 * The one place that reads the environment (DESIGN.md, Conventions). Every other
 * module takes its settings from here, validated at start-up.
 */
const EnvSchema = z.object({
  KEYSCOPE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Root key of the local KMS key file: 32 bytes, base64. The key file's material is
   * encrypted under it. Never logged.
   */
  KEYSCOPE_KMS_ROOT_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  /** Region and endpoint for the `aws` KEK provider; credentials come from the standard AWS chain. */
  KEYSCOPE_AWS_REGION: z.string().min(1).optional(),
  KEYSCOPE_AWS_KMS_ENDPOINT: z.url().optional(),
});

export type Config = {
  logLevel: z.infer<typeof EnvSchema>['KEYSCOPE_LOG_LEVEL'];
  /** Decoded root key, or null when none is configured. */
  kmsRootKey: Buffer | null;
  awsRegion: string | null;
  awsKmsEndpoint: string | null;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the rule, never the value (it may be a secret).
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    logLevel: e.KEYSCOPE_LOG_LEVEL,
    kmsRootKey: e.KEYSCOPE_KMS_ROOT_KEY ? Buffer.from(e.KEYSCOPE_KMS_ROOT_KEY, 'base64') : null,
    awsRegion: e.KEYSCOPE_AWS_REGION ?? null,
    awsKmsEndpoint: e.KEYSCOPE_AWS_KMS_ENDPOINT ?? null,
  };
}
