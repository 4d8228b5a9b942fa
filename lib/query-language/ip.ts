/**
 * IP addresses without node:net, so the parser also runs in the browser. Addresses become
 * 16 bytes, IPv4 mapped into ::ffff:0:0/96 (as Elasticsearch ip fields and the SQLite store
 * keep them), so one comparison serves both families.
 */
export type ParsedIp = { family: 4 | 6; bytes: Uint8Array };

const V4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
// Node's isIPv6 accepts a zone id (fe80::1%eth0); so do we, and ignore it.
const ZONE = /%[0-9a-zA-Z\-.:]+$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseV4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => V4_PART.test(p))) return null;
  return parts.map(Number);
}

function groupsOf(side: string): number[] | null {
  if (side === '') return [];
  const out: number[] = [];
  const parts = side.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p);
      if (v4 === null) return null;
      out.push((v4[0] as number) * 256 + (v4[1] as number), (v4[2] as number) * 256 + (v4[3] as number));
    } else if (HEX_GROUP.test(p)) out.push(parseInt(p, 16));
    else return null;
  }
  return out;
}

function parseV6(input: string): number[] | null {
  const text = input.replace(ZONE, '');
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0] as string);
  if (head === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const tail = groupsOf(halves[1] as string);
  // An embedded IPv4 part may only end the address.
  if (tail === null || (halves[0] as string).includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  return missing < 1 ? null : [...head, ...new Array<number>(missing).fill(0), ...tail];
}

export function parseIp(text: string): ParsedIp | null {
  const v4 = parseV4(text);
  if (v4 !== null) return { family: 4, bytes: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]) };
  if (!text.includes(':')) return null;
  const groups = parseV6(text);
  if (groups === null) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => { bytes[2 * i] = g >> 8; bytes[2 * i + 1] = g & 0xff; });
  return { family: 6, bytes };
}

/** Same answers as node:net isIP for the strings CloudTrail writes (a test compares them). */
export function isIp(text: string): boolean {
  return parseIp(text) !== null;
}

/** The 16-byte form with every bit past `bits` cleared. */
export function maskBytes(bytes: Uint8Array, bits: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    out[i] = (out[i] as number) & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

/** Canonical text: dotted IPv4, or RFC 5952 IPv6 (lowercase, the longest run of two or more zero groups as ::). */
export function formatIp(family: 4 | 6, bytes: Uint8Array): string {
  if (family === 4) return Array.from(bytes.subarray(12)).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
