import { describe, expect, it } from 'vitest';
import { canonicalKeyArn, canonicalKeyArnOf, kekLabel, keyArnOf, parseKekRef, partitionOf } from '../../lib/model/kek-ref';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';

describe('parseKekRef: the four forms KMS accepts, in every partition', () => {
  it.each([
    [`arn:aws:kms:us-east-1:111122223333:key/${ID}`, { kind: 'key', name: ID, partition: 'aws', region: 'us-east-1', accountId: '111122223333', multiRegion: false }],
    [`arn:aws-cn:kms:cn-north-1:111122223333:key/${ID}`, { kind: 'key', name: ID, partition: 'aws-cn', region: 'cn-north-1' }],
    [`arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/${ID}`, { kind: 'key', partition: 'aws-us-gov', region: 'us-gov-west-1' }],
    [`arn:aws-iso-b:kms:us-isob-east-1:111122223333:key/${ID}`, { kind: 'key', partition: 'aws-iso-b' }],
    [`arn:aws:kms:eu-west-1:111122223333:key/${MRK}`, { kind: 'key', name: MRK, multiRegion: true }],
    [`arn:aws:kms:us-west-2:111122223333:alias/orders/prod`, { kind: 'alias', name: 'alias/orders/prod', region: 'us-west-2', accountId: '111122223333' }],
    [ID, { kind: 'key', name: ID, partition: null, region: null, accountId: null }],
    [ID.toUpperCase(), { kind: 'key', name: ID, written: ID.toUpperCase() }],
    [MRK, { kind: 'key', name: MRK, multiRegion: true }],
    ['alias/ExampleAlias', { kind: 'alias', name: 'alias/ExampleAlias', accountId: null }],
  ])('%s', (value, expected) => {
    expect(parseKekRef(value)).toMatchObject({ written: value, ...expected });
  });

  it.each([
    ['another service', `arn:aws:s3:::bucket/key/${ID}`],
    ['a key id that is not a UUID or mrk-', 'arn:aws:kms:us-east-1:111122223333:key/not-a-key'],
    ['an account of 11 digits', `arn:aws:kms:us-east-1:11112222333:key/${ID}`],
    ['no Region', `arn:aws:kms::111122223333:key/${ID}`],
    ['a partition that is not aws', `arn:azure:kms:us-east-1:111122223333:key/${ID}`],
    ['an mrk- id of the wrong length', 'mrk-1234'],
    ['an alias with a space', 'alias/my key'],
    ['a bare alias without its prefix', 'ExampleAlias'],
    ['an empty string', ''],
    ['trailing text', `arn:aws:kms:us-east-1:111122223333:key/${ID}/x`],
  ])('refuses %s', (_why, value) => {
    expect(parseKekRef(value)).toBeNull();
  });
});

describe('canonicalKeyArn', () => {
  it('rebuilds a key ARN in lower case, in its partition', () => {
    expect(canonicalKeyArnOf(`arn:aws-cn:kms:cn-north-1:111122223333:key/${ID.toUpperCase()}`)).toBe(`arn:aws-cn:kms:cn-north-1:111122223333:key/${ID}`);
  });

  it('completes a bare key id with the scope, and the partition from its Region', () => {
    expect(canonicalKeyArnOf(ID, { region: 'us-gov-east-1', accountId: '111122223333' })).toBe(`arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/${ID}`);
    expect(canonicalKeyArnOf(MRK, { region: 'eu-west-1', accountId: '111122223333' })).toBe(`arn:aws:kms:eu-west-1:111122223333:key/${MRK}`);
  });

  it('is null where the key cannot be known: an alias, or a bare id without account or Region', () => {
    expect(canonicalKeyArnOf('alias/ExampleAlias', { region: 'us-east-1', accountId: '111122223333' })).toBeNull();
    expect(canonicalKeyArnOf('arn:aws:kms:us-east-1:111122223333:alias/x')).toBeNull();
    expect(canonicalKeyArnOf(ID, { region: 'us-east-1', accountId: null })).toBeNull();
    expect(canonicalKeyArnOf(ID, { region: null, accountId: '111122223333' })).toBeNull();
    expect(canonicalKeyArnOf(ID, { region: 'not a region', accountId: '111122223333' })).toBeNull();
    expect(canonicalKeyArnOf('kek-1', { region: 'us-east-1', accountId: '111122223333' })).toBeNull();
  });

  it('keeps the ARN its own account and Region, whatever the scope says', () => {
    const ref = parseKekRef(`arn:aws:kms:us-east-1:111122223333:key/${ID}`)!;
    expect(canonicalKeyArn(ref, { region: 'eu-west-1', accountId: '444455556666' })).toBe(`arn:aws:kms:us-east-1:111122223333:key/${ID}`);
  });
});

describe('helpers', () => {
  it('partitionOf names the partition of a Region, null for what is not a Region', () => {
    expect(['us-east-1', 'cn-northwest-1', 'us-gov-west-1', 'us-iso-east-1', 'eu-isoe-west-1', 'eusc-de-east-1', 'nope'].map(partitionOf)).toEqual([
      'aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-e', 'aws-eusc', null,
    ]);
  });

  it('keyArnOf refuses a malformed account or key id', () => {
    expect(keyArnOf('us-east-1', '111122223333', ID)).toBe(`arn:aws:kms:us-east-1:111122223333:key/${ID}`);
    expect(keyArnOf('us-east-1', 'acct', ID)).toBeNull();
    expect(keyArnOf('us-east-1', '111122223333', 'kek-1')).toBeNull();
  });

  it('kekLabel is the key id or alias name, else what was written', () => {
    expect(kekLabel(`arn:aws:kms:us-east-1:111122223333:key/${ID}`)).toBe(ID);
    expect(kekLabel('arn:aws:kms:us-east-1:111122223333:alias/orders')).toBe('alias/orders');
    expect(kekLabel('kek-1')).toBe('kek-1');
  });
});
