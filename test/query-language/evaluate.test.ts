import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import { compareUtf8, matches } from '../../lib/query-language/evaluate';
import { auditEvents } from './events';
import { tree } from './helpers';

const events = auditEvents();
type Case = [query: string, expected: (e: AuditEvent) => boolean];
const ctx = (e: AuditEvent, k: string): string | undefined => e.encryptionContext?.[k];
const ms = (iso: string): number => Date.parse(iso);

/** Each query against a predicate written straight on the model; every case must select some events and not all. */
const CASES: Case[] = [
  ['event.action:Decrypt', (e) => e.eventName === 'Decrypt'],
  ['event.action:decrypt or event.action:Decrypt', (e) => e.eventName === 'Decrypt'],
  ['event.action:GenerateDataKey*', (e) => e.eventName.startsWith('GenerateDataKey')],
  ['event.action:Generate?ataKey', (e) => e.eventName === 'GenerateDataKey'],
  ['event.action:(Decrypt or GenerateDataKey*) and not event.outcome:failure', (e) => (e.eventName === 'Decrypt' || e.eventName.startsWith('GenerateDataKey')) && e.outcome === 'success'],
  ['user.name:*Alice*', (e) => (e.principal.arn ?? e.principal.principalId ?? '').includes('Alice')],
  ['user.name:*app-role*', (e) => (e.principal.arn ?? '').includes('app-role')],
  ['keyscope.principal.caller:"arn:aws:iam::111122223333:user/Alice"', (e) => e.principal.name === 'arn:aws:iam::111122223333:user/Alice'],
  ['aws.cloudtrail.user_identity.type:AWSService', (e) => e.principal.type === 'AWSService'],
  ['aws.cloudtrail.user_identity.session_context.session_issuer.arn:*', (e) => e.principal.roleArn !== null],
  ['source.ip:192.0.2.0/24', (e) => e.sourceIp?.startsWith('192.0.2.') === true],
  ['source.ip:172.0.0.0/8', (e) => e.sourceIp === '172.172.172.172'], // 172.01.01.001 is not an address
  ['source.ip:2001:db8::/32', (e) => e.sourceIp === '2001:db8::5'],
  ['source.ip:10.0.0.0/8', (e) => e.sourceIp === '10.200.0.9' || e.sourceIp === '::ffff:10.1.2.3'],
  ['source.ip:::ffff:0:0/96', (e) => e.sourceIp !== null && isIP(e.sourceIp) === 4 || e.sourceIp === '::ffff:10.1.2.3'],
  ['source.ip:203.0.113.7', (e) => e.sourceIp === '203.0.113.7'],
  ['not source.ip:*', (e) => e.sourceIp === null || isIP(e.sourceIp) === 0],
  ['source.address:"AWS Internal"', (e) => e.sourceIp === 'AWS Internal'],
  ['cloud.region:us-east-1 and cloud.account.id:111122223333', (e) => e.region === 'us-east-1' && e.accountId === '111122223333'],
  ['kms.key.arn:*0987dcba*', (e) => e.keyArn?.includes('0987dcba') === true],
  ['not kms.key.arn:*', (e) => e.keyArn === null],
  ['kms.key.arn >= "arn:aws:kms:us-west"', (e) => e.keyArn !== null && e.keyArn >= 'arn:aws:kms:us-west'],
  ['kms.key.arn:{"arn:aws:kms:us-east-1" TO "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}', (e) => e.keyArn !== null && e.keyArn > 'arn:aws:kms:us-east-1' && e.keyArn < 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ['kms.encryption_context.Department:Engineering', (e) => ctx(e, 'Department') === 'Engineering'],
  ['kms.encryption_context.tenant:acme', (e) => ctx(e, 'tenant') === 'acme'],
  ['"kms.encryption_context.aws:ebs:id":vol-*', (e) => ctx(e, 'aws:ebs:id')?.startsWith('vol-') === true],
  ['not kms.encryption_context.Department:*', (e) => ctx(e, 'Department') === undefined],
  ['kms.encryption_context.k:?x', (e) => ctx(e, 'k') === '😀x'],
  ['error.code:*', (e) => e.errorCode !== null],
  ['not error.code:KMSInvalidStateException', (e) => e.errorCode !== 'KMSInvalidStateException'],
  ['error.message:"EXTERNAL KEY STORE"', (e) => e.errorMessage?.toLowerCase().includes('external key store') === true],
  ['error.message:"not authorized"', (e) => e.errorMessage?.includes('not authorized') === true],
  ['@timestamp:[2020-01-01 TO 2021-12-31]', (e) => ms(e.time) >= ms('2020-01-01T00:00:00Z') && ms(e.time) < ms('2022-01-01T00:00:00Z')],
  ['@timestamp < 2015-01-01', (e) => ms(e.time) < ms('2015-01-01T00:00:00Z')],
  ['@timestamp:2014-11-05', (e) => e.time.startsWith('2014-11-05')],
  ['@timestamp:"2022-11-24T00:26:58Z"', (e) => ms(e.time) === ms('2022-11-24T00:26:58Z')],
  ['@timestamp > 2022-11-24T00:26:58+00:00', (e) => ms(e.time) > ms('2022-11-24T00:26:58Z')],
  ['aws.cloudtrail.read_only:false', (e) => e.readOnly === false],
  ['aws.cloudtrail.management_event:true', (e) => e.management],
  ['keyscope.cross_account:true', (e) => e.crossAccount],
  ['aws.cloudtrail.event_type:AwsServiceEvent', (e) => e.eventType === 'AwsServiceEvent'],
  ['Decrypt', (e) => e.eventName === 'Decrypt'],
  ['"AWS Internal"', (e) => e.sourceIp === 'AWS Internal' || e.principal.arn === 'AWS Internal' || e.errorCode === 'AWS Internal'],
  ['*1234abcd*', (e) => [e.keyArn, e.keyId, e.principal.arn ?? e.principal.principalId, e.sourceIp, e.errorCode, e.eventName].some((v) => v?.includes('1234abcd'))],
  ['', () => true],
];

describe('matches (the oracle) on normalised CloudTrail records', () => {
  it('has the corpus and the shaped events', () => {
    expect(events.length).toBeGreaterThan(20);
  });

  it.each(CASES)('%s', (query, expected) => {
    const t = tree(query);
    const got = events.filter((e) => matches(t, e)).map((e) => e.id);
    const want = events.filter(expected).map((e) => e.id);
    expect(got).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
    if (query !== '') expect(want.length).toBeLessThan(events.length);
  });

  it('is case-sensitive on keywords and case-insensitive on text', () => {
    expect(events.filter((e) => matches(tree('user.name:*alice*'), e))).toEqual([]);
    expect(events.filter((e) => matches(tree('error.message:"NOT AUTHORIZED"'), e)).length).toBe(1);
  });

  it('treats a missing value as matching nothing, so its not matches', () => {
    const noCode = events.filter((e) => e.errorCode === null);
    expect(noCode.length).toBeGreaterThan(0);
    for (const e of noCode) {
      expect(matches(tree('error.code:AccessDeniedException'), e)).toBe(false);
      expect(matches(tree('not error.code:AccessDeniedException'), e)).toBe(true);
      expect(matches(tree('error.code:*'), e)).toBe(false);
      expect(matches(tree('error.code >= A'), e)).toBe(false);
      expect(matches(tree('not error.code >= A'), e)).toBe(true);
    }
  });

  it('keeps injection strings as plain values', () => {
    expect(events.filter((e) => matches(tree(`kms.encryption_context.tenant:"'; DROP TABLE audit_events; --"`), e)).length).toBe(1);
    expect(events.filter((e) => matches(tree('"kms.encryption_context.a\\"b":"\\"}},\\"script\\":{\\"source\\":\\"x\\"}"'), e)).length).toBe(1);
  });
});

describe('compareUtf8', () => {
  it('orders like UTF-8 bytes (and SQLite BINARY), not UTF-16 code units', () => {
    const words = ['', 'a', 'B', 'ab', '\uFFFD', '😀', '\uE000', 'é', 'z\u0000', 'z', '\u007f', '\u0080'];
    for (const x of words) {
      for (const y of words) expect(Math.sign(compareUtf8(x, y)), `${x} ${y}`).toBe(Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y))));
    }
    expect(compareUtf8('😀', '\uFFFD')).toBeGreaterThan(0);
    expect(events.filter((e) => matches(tree('kms.encryption_context.k > "\uFFFD"'), e)).map((e) => ctx(e, 'k'))).toEqual(['😀x']);
  });
});
