/**
 * `npm run bench:engine`: envelope engine throughput beside raw AES-256-GCM on the same
 * payloads, in one process run.
 *
 * Engine APIs measured:
 *   encryptObject       seals into one envelope buffer (header, IV, ciphertext, tag);
 *   encryptObjectParts  the same envelope as the pieces the cipher produced, for callers
 *                       that write with writev / streams (no copy of the payload);
 *   decryptObject       opens an envelope buffer.
 * Each call emits its KeyOperations (and, per object, a DekRecord) to a sink that counts
 * them, and gets DEKs from a local KMS (no injected latency).
 *
 * Baselines, on the same payloads:
 *   raw        createCipheriv('aes-256-gcm') / update / final / getAuthTag with a fresh
 *              randomBytes(12) IV, output left in pieces; decrypt: createDecipheriv /
 *              setAuthTag / update / final of such a message (IV, ciphertext and tag as
 *              separate buffers);
 *   raw+frame  the raw encrypt plus joining IV, ciphertext and tag into one buffer, which
 *              a message stored as one buffer needs.
 * Like for like: encryptObjectParts vs raw (both leave pieces), encryptObject vs raw+frame
 * (both produce one buffer), decryptObject vs raw.
 *
 * Method: every case of a payload size and policy runs in the same rounds, one timed run
 * of --budget-ms each, the order rotating from round to round; a forced GC before each
 * run so that no case pays for another's garbage; one discarded round first. Ratios are
 * per round (engine and baseline ran within a second of each other) and the median of
 * the rounds is reported with the lowest and highest round. Decrypt cycles through 16
 * messages for the engine and for raw alike (same working set).
 *
 * `--single-threaded-gc` reruns the bench in a child node with that V8 flag: all GC work
 * on the main thread, counted in the wall-clock figures, with no GC helper threads
 * competing for the cores (on a small, loaded machine they are a large, noisy share).
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { realClock } from '../../lib/engine/clock';
import { EnvelopeEngine } from '../../lib/engine/engine';
import { LocalKms } from '../../lib/engine/kek/local-kms/local-kms';
import { SeededRandom } from '../../lib/engine/random';
import type { EventSink } from '../../lib/engine/sinks/event-sink';
import { compareRounds, fmtRate, mb, pairedRatio, type Rate } from '../lib/measure';

const SIZES = [1024, 64 * 1024, 1024 * 1024];
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const ROUNDS = arg('rounds', 7);
const BUDGET_MS = arg('budget-ms', 200);
const MESSAGES = 16;

/** A forced full GC between timed runs (outside the timing); none if the VM refuses. */
const gc: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

/** Counts events instead of keeping them, so memory stays flat over millions of ops. */
const countingSink: EventSink & { count: number } = {
  count: 0,
  writeOperation() {
    this.count++;
  },
  writeDekRecord() {
    this.count++;
  },
  async flush() {},
  async close() {},
};

async function engineFor(kms: LocalKms, keyArn: string, policy: 'cached' | 'per-object'): Promise<EnvelopeEngine> {
  return new EnvelopeEngine({
    provider: kms,
    kekId: keyArn,
    dekPolicy: policy === 'cached' ? { kind: 'cached', maxAgeMs: 3_600_000, maxMessages: 2 ** 32, maxBytes: Number.MAX_SAFE_INTEGER } : { kind: 'per-object' },
    // Per-object DEKs are unique, so a decrypt cache would only hide the unwrap cost.
    decryptCache: policy === 'cached' ? { ttlMs: 3_600_000, maxEntries: 1000 } : false,
    clock: realClock,
    random: new SeededRandom(1),
    sink: countingSink,
    service: 'bench',
  });
}

function rawEncrypt(key: Buffer, plaintext: Buffer): Buffer[] {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = c.update(plaintext);
  const fin = c.final();
  return [iv, ct, fin, c.getAuthTag()];
}

const rawEncryptFramed = (key: Buffer, plaintext: Buffer): Buffer => Buffer.concat(rawEncrypt(key, plaintext));

interface RawMessage {
  iv: Buffer;
  ct: Buffer;
  tag: Buffer;
}

function rawDecrypt(key: Buffer, msg: RawMessage): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, msg.iv);
  d.setAuthTag(msg.tag);
  const pt = d.update(msg.ct);
  d.final();
  return pt;
}

type Ratio = ReturnType<typeof pairedRatio>;

interface Row {
  size: number;
  policy: string;
  op: string;
  engine: Rate;
  raw: Rate;
  vsRaw: Ratio;
  framed?: Rate;
  vsFramed?: Ratio;
  /** Which ratio compares like with like, and that ratio by CPU time. */
  like: 'raw' | 'raw+frame';
  likeCpu: Ratio;
}

async function main(): Promise<void> {
  if (process.argv.includes('--single-threaded-gc') && !process.execArgv.includes('--single-threaded-gc')) {
    const args = [...process.execArgv, '--single-threaded-gc', ...process.argv.slice(1)];
    const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  const kms = new LocalKms({ accountId: '111122223333', region: 'eu-west-1', clock: realClock, random: new SeededRandom(7) });
  const { Arn } = await kms.createKey({ description: 'bench' });
  const key = randomBytes(32);
  const rows: Row[] = [];
  const t0 = Date.now();
  for (const size of SIZES) {
    const plaintext = randomBytes(size);
    const ctx = { tenant: 'acme', service: 'bench' };
    const rawMsgs: RawMessage[] = Array.from({ length: MESSAGES }, () => {
      const [iv, ct, fin, tag] = rawEncrypt(key, plaintext);
      return { iv: iv!, ct: Buffer.concat([ct!, fin!]), tag: tag! };
    });
    for (const policy of ['cached', 'per-object'] as const) {
      const engine = await engineFor(kms, Arn, policy);
      // One after another, as a caller's objects arrive: under the cached policy they share
      // one DEK (the point of the policy); per-object, each has its own.
      const envelopes: Buffer[] = [];
      for (let i = 0; i < MESSAGES; i++) envelopes.push((await engine.encryptObject({ objectId: `o${i}`, objectPath: `p/${i}`, tenant: 'acme', plaintext, encryptionContext: ctx })).envelope);
      let n = 0;
      let m = 0;
      const req = { objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext, encryptionContext: ctx };
      const res = await compareRounds(
        {
          encryptObject: () => engine.encryptObject(req),
          encryptObjectParts: () => engine.encryptObjectParts(req),
          rawEncrypt: () => rawEncrypt(key, plaintext),
          rawEncryptFramed: () => rawEncryptFramed(key, plaintext),
          decryptObject: () => engine.decryptObject({ envelope: envelopes[n++ % MESSAGES]!, tenant: 'acme' }),
          rawDecrypt: () => rawDecrypt(key, rawMsgs[m++ % MESSAGES]!),
        },
        size,
        { rounds: ROUNDS, budgetMs: BUDGET_MS, beforeEach: gc, discardFirstRound: true },
      );
      const r = res.rounds;
      const md = res.median;
      const enc = (api: 'encryptObject' | 'encryptObjectParts', like: Row['like']): Row => ({
        size, policy, op: `encrypt · ${api}`, engine: md[api]!, raw: md.rawEncrypt!, vsRaw: pairedRatio(r[api]!, r.rawEncrypt!),
        framed: md.rawEncryptFramed!, vsFramed: pairedRatio(r[api]!, r.rawEncryptFramed!), like,
        likeCpu: pairedRatio(r[api]!, like === 'raw' ? r.rawEncrypt! : r.rawEncryptFramed!, true),
      });
      rows.push(enc('encryptObjectParts', 'raw'), enc('encryptObject', 'raw+frame'));
      rows.push({
        size, policy, op: 'decrypt · decryptObject', engine: md.decryptObject!, raw: md.rawDecrypt!, vsRaw: pairedRatio(r.decryptObject!, r.rawDecrypt!), like: 'raw',
        likeCpu: pairedRatio(r.decryptObject!, r.rawDecrypt!, true),
      });
      engine.clearCaches();
    }
  }
  const label = (s: number) => (s >= 1024 * 1024 ? `${s / 1024 / 1024} MiB` : `${s / 1024} KiB`);
  const ratio = (x: Ratio | undefined, bold: boolean) => (x ? `${bold ? '**' : ''}${x.median.toFixed(2)}${bold ? '**' : ''} (${x.min.toFixed(2)}–${x.max.toFixed(2)})` : '—');
  const lines = [
    `| payload | DEK policy | op · engine API | engine ops/s | engine MB/s | raw ops/s | raw MB/s | engine/raw | engine/raw+frame | like for like, by CPU time |`,
    `|---|---|---|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (x) =>
        `| ${label(x.size)} | ${x.policy} | ${x.op} | ${fmtRate(x.engine.opsPerSec)} | ${mb(x.engine.bytesPerSec)} | ${fmtRate(x.raw.opsPerSec)} | ${mb(x.raw.bytesPerSec)} | ${ratio(x.vsRaw, x.like === 'raw')} | ${ratio(x.vsFramed, x.like === 'raw+frame')} | ${x.likeCpu.median.toFixed(2)} |`,
    ),
  ];
  const target = rows.filter((x) => x.size >= 64 * 1024 && x.policy === 'cached');
  const summary = target.map((x) => {
    const v = x.like === 'raw' ? x.vsRaw : x.vsFramed!;
    return `  ${label(x.size).padEnd(7)} ${x.op.padEnd(34)} engine/${x.like.padEnd(9)} ${v.median.toFixed(2)} ${v.median >= 0.9 ? '≥ 0.9' : '< 0.9'}  (by CPU time ${x.likeCpu.median.toFixed(2)})`;
  });
  process.stdout.write(
    `Envelope engine vs raw AES-256-GCM (node ${process.version}${process.execArgv.includes('--single-threaded-gc') ? ' --single-threaded-gc' : ''}, ${ROUNDS} rotated rounds of ${BUDGET_MS} ms per case after one discarded, ` +
      `${gc ? 'GC forced between runs' : 'no forced GC'}; rates are medians of rounds, ratios medians of per-round ratios (lowest–highest round); ` +
      `bold = like for like)\n\n${lines.join('\n')}\n\n64 KiB+ with a cached DEK, like for like:\n${summary.join('\n')}\n`,
  );
  process.stdout.write(`\n(${countingSink.count.toLocaleString('en-US')} events emitted, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:engine: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
