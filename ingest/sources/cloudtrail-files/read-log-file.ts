import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import type { AuditEvent } from '../../../lib/model/audit-event';
import type { DeadLetter } from '../../../lib/model/dead-letter';
import { readCloudTrailContainer } from '../../../lib/model/cloudtrail/containers';
import { normalizeCloudTrailRecord } from '../../../lib/model/normalize-cloudtrail';
import { timeProblem, type TimeBounds, type TimeMode } from '../../../lib/model/time-window';
import { makeDeadLetter } from '../../pipeline/dead-letter';
import { emptyFileCounts, type FileCounts } from './file-checkpoint';
import type { FoundFile } from './walk';

const gunzip = promisify(gunzipCb);

/**
 * Largest log file read, after gunzip. CloudTrail files are a few MB; this bounds the
 * memory one file can take, and a larger one is dead-lettered rather than read.
 */
export const MAX_LOG_FILE_BYTES = 512 * 1024 * 1024;

export type LogFileRead = { auditEvents: AuditEvent[]; deadLetters: DeadLetter[]; counts: FileCounts };

/** How record times are bounded (lib/model/time-window.ts): `import` takes history, the watcher is live. */
export type TimePolicy = { mode: TimeMode; bounds?: TimeBounds };

class UnreadableFile extends Error {}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

async function fileText(file: FoundFile, raw: Buffer): Promise<string> {
  if (!isGzip(raw)) {
    if (/\.gz$/i.test(file.path)) throw new UnreadableFile('bad gzip: the file is named .gz but is not gzip data');
    if (raw.length > MAX_LOG_FILE_BYTES) throw new UnreadableFile(`file is larger than ${MAX_LOG_FILE_BYTES} bytes`);
    return raw.toString('utf8');
  }
  try {
    return (await gunzip(raw, { maxOutputLength: MAX_LOG_FILE_BYTES })).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new UnreadableFile(`file inflates past ${MAX_LOG_FILE_BYTES} bytes`);
    throw new UnreadableFile(`bad gzip: ${(err as Error).message}`);
  }
}

/**
 * Reads one CloudTrail file of any container (lib/model/cloudtrail/containers.ts): gunzip
 * (async, on libuv's pool), parse, normalize every record. KMS records become AuditEvents; other services' records are counted as not-KMS;
 * a malformed record is a dead letter with the file, its index and the reason; a file that
 * cannot be read at all (bad gzip, bad JSON, no Records array) is one dead letter.
 * Returns null when the file vanished after it was listed (nothing to record).
 */
/** The file's bytes; O_NOFOLLOW refuses a path that is (now) a symbolic link, closing the gap after the walk's lstat. */
async function readNoFollow(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

export async function readLogFile(file: FoundFile, source: string, now: Date, times: TimePolicy): Promise<LogFileRead | null> {
  const counts = emptyFileCounts();
  let raw: Buffer;
  try {
    raw = await readNoFollow(file.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Vanished since it was listed, or swapped for a symbolic link after the walk refused links (ELOOP): nothing to read.
    if (code === 'ENOENT' || code === 'ELOOP') return null;
    throw err;
  }
  let text: string;
  try {
    text = await fileText(file, raw);
  } catch (err) {
    if (!(err instanceof UnreadableFile)) throw err;
    return corruptFile(file, source, now, err.message, counts);
  }
  const container = readCloudTrailContainer(text, basename(file.path));
  if (!container.ok) return corruptFile(file, source, now, container.reason, counts);
  counts.container = container.kind;

  const auditEvents: AuditEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  counts.records = container.entries.length;
  const dead = (at: number, reason: string, payload: string) => {
    const where = container.locate(at);
    deadLetters.push(makeDeadLetter({ source, location: `${file.path} ${where}`, reason, payload, identity: `${file.path}\0${where}\0${payload}`, receivedAt: now }));
  };
  for (const entry of container.entries) {
    if (!entry.ok) {
      dead(entry.at, entry.reason, entry.text);
      continue;
    }
    const result = normalizeCloudTrailRecord(entry.value);
    const late = result.ok ? timeProblem('eventTime', result.event.time, now.getTime(), times.mode, times.bounds) : null;
    if (late !== null) dead(entry.at, late, JSON.stringify(entry.value));
    else if (result.ok) auditEvents.push(result.event);
    else if (result.skip === 'not_kms') counts.notKms++;
    else dead(entry.at, result.reason, JSON.stringify(entry.value) ?? String(entry.value));
  }
  counts.auditEvents = auditEvents.length;
  counts.deadLetters = deadLetters.length;
  return { auditEvents, deadLetters, counts };
}

function corruptFile(file: FoundFile, source: string, now: Date, reason: string, counts: FileCounts): LogFileRead {
  counts.corrupt = true;
  counts.deadLetters = 1;
  const deadLetter = makeDeadLetter({
    source, location: file.path, reason,
    // The bytes are unreadable or not records: the dead letter says which file and why.
    payload: JSON.stringify({ size: file.size, mtimeMs: file.mtimeMs }),
    identity: `${file.path}\0${file.size}\0${file.mtimeMs}`,
    receivedAt: now,
  });
  return { auditEvents: [], deadLetters: [deadLetter], counts };
}
