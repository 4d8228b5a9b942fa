import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatIp, isIp, maskBytes, parseIp } from '../../lib/query-language/ip';

describe('ip (browser-safe)', () => {
  it('agrees with node:net isIP', () => {
    const samples = [
      '192.0.2.0', '0.0.0.0', '255.255.255.255', '256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '172.01.01.001', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.-4',
      '::', '::1', '1::', '2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7::8', '1::2::3', ':1', '1:', ':::', '12345::', 'g::1', '::ffff:10.1.2.3', '::ffff:10.1.2', '1.2.3.4::', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4',
      '1:2:3:4:5:6:7:1.2.3.4', 'fe80::1%eth0', 'fe80::1%', 'fe80::1%eth0%x', 'AWS Internal', 'kms.amazonaws.com', '', 'FFFF::', '::ffff:1.2.3.04',
    ];
    for (const s of samples) expect(isIp(s), s).toBe(isIP(s) !== 0);
    let seed = 11;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const chars = '0123456789abcdefABCDEF:.%';
    for (let i = 0; i < 20000; i++) {
      const s = Array.from({ length: 1 + rand(16) }, () => chars[rand(chars.length)]).join('');
      expect(isIp(s), s).toBe(isIP(s) !== 0);
    }
  });

  it('formats IPv6 as RFC 5952 and IPv4 as dotted quads', () => {
    const canon = (s: string): string => {
      const p = parseIp(s);
      if (p === null) throw new Error(s);
      return formatIp(p.family, p.bytes);
    };
    expect(canon('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canon('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(canon('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(canon('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canon('2001:db8:1:1:1:1:0:1')).toBe('2001:db8:1:1:1:1:0:1');
    expect(canon('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canon('1:0:0:0:0:0:0:0')).toBe('1::');
    expect(canon('10.0.0.1')).toBe('10.0.0.1');
  });

  it('masks host bits', () => {
    const p = parseIp('255.255.255.255');
    expect(p).not.toBeNull();
    expect(formatIp(4, maskBytes(p?.bytes ?? new Uint8Array(16), 96 + 20))).toBe('255.255.240.0');
    expect(formatIp(6, maskBytes(parseIp('ffff:ffff::ffff')?.bytes ?? new Uint8Array(16), 17))).toBe('ffff:8000::');
  });
});
