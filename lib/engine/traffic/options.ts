import { z } from 'zod';
import { parseDuration } from './duration';

export const SCENARIOS = ['steady', 'kms-outage', 'throttling', 'rotation', 'compromise'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const durationMs = z.string().transform((v, ctx) => {
  try {
    const ms = parseDuration(v);
    if (ms <= 0) throw new Error('must be positive');
    return ms;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const positiveNumber = (what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).refine((n) => Number.isFinite(n) && n > 0, `${what} must be greater than 0`);

/** Raw CLI flags as commander gives them (strings), validated and resolved here. */
export const TrafficFlagsSchema = z
  .object({
    scenario: z.enum(SCENARIOS, { error: `scenario must be one of: ${SCENARIOS.join(', ')}` }),
    rate: positiveNumber('rate').refine((n) => n <= 100_000, 'rate must be at most 100000 objects/s'),
    duration: durationMs,
    seed: z.coerce.number().int('seed must be an integer').min(0).max(2 ** 32 - 1),
    out: z.string().min(1),
    intake: z.url({ error: 'intake must be a URL such as http://127.0.0.1:4318' }).optional(),
    otlp: z.url({ error: 'otlp must be a URL such as http://127.0.0.1:4318' }).optional(),
    intakeToken: z.string().regex(/^\S+$/, 'intake-token must be a token without spaces').optional(),
    otlpProtocol: z.enum(['http/protobuf', 'http/json'], { error: 'otlp-protocol must be http/protobuf or http/json' }).default('http/protobuf'),
    start: z.string().optional(),
    speed: z.union([z.literal('max'), positiveNumber('speed')]).optional(),
    dekPolicy: z.enum(['cached', 'per-object']),
    readRatio: z.coerce.number().min(0).max(10),
    rewrapRate: positiveNumber('rewrap-rate'),
    kmsState: z.string().optional(),
    progress: z.boolean(),
  })
  .strict();
export type TrafficFlags = z.input<typeof TrafficFlagsSchema>;

export interface TrafficOptions {
  scenario: ScenarioName;
  rate: number;
  durationMs: number;
  seed: number;
  outDir: string;
  intakeUrl: string | null;
  /** Key operations go as OpenTelemetry spans to this OTLP/HTTP receiver (DEK records still go to files or the intake). */
  otlpUrl: string | null;
  otlpProtocol: 'http/protobuf' | 'http/json';
  /** Sent as Authorization: Bearer to the intake and the OTLP receiver (an emitter token). */
  intakeToken: string | null;
  startMs: number;
  /** 'max' runs on a simulated clock as fast as it can; a number scales real time. */
  speed: 'max' | number;
  dekPolicy: 'cached' | 'per-object';
  readRatio: number;
  rewrapRate: number;
  kmsStatePath: string | null;
  progress: boolean;
}

/** Resolves `--start`: an ISO time, `now`, or an offset such as `-24h` from now. */
export function resolveStart(text: string | undefined, durationMs: number, nowMs: number): number {
  if (text === undefined) return nowMs - durationMs; // history that ends now
  if (text === 'now') return nowMs;
  const rel = /^-(.+)$/.exec(text);
  if (rel) return nowMs - parseDuration(rel[1]!);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`--start "${text}" is not an ISO time, "now" or an offset like -24h`);
  return t;
}

export function resolveTrafficOptions(flags: TrafficFlags, nowMs: number): TrafficOptions {
  const f = TrafficFlagsSchema.parse(flags);
  const startMs = resolveStart(f.start, f.duration, nowMs);
  // A window that lies in the past is generated as fast as possible; one that starts
  // now runs in real time, for live demos.
  const speed = f.speed ?? (startMs + f.duration <= nowMs + 1000 ? 'max' : 1);
  return {
    scenario: f.scenario,
    rate: f.rate,
    durationMs: f.duration,
    seed: f.seed,
    outDir: f.out,
    intakeUrl: f.intake ?? null,
    otlpUrl: f.otlp ?? null,
    otlpProtocol: f.otlpProtocol,
    intakeToken: f.intakeToken ?? null,
    startMs,
    speed,
    dekPolicy: f.dekPolicy,
    readRatio: f.readRatio,
    rewrapRate: f.rewrapRate,
    kmsStatePath: f.kmsState ?? null,
    progress: f.progress,
  };
}
