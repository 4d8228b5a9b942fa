import { z } from 'zod';
import type { EncryptionContext } from '../../../model/encryption-context';

/**
 * Key policies: a simplified but faithful subset of IAM policy documents and their
 * evaluation (explicit Deny wins, then any Allow, else implicit deny).
 *
 * Supported: Principal "*", {AWS: arns}, {Service: names}; Action and Resource with
 * wildcards; Condition with the String* operators (IfExists, ForAllValues:, ForAnyValue:)
 * on kms:EncryptionContext:<key>, kms:EncryptionContextKeys, kms:CallerAccount,
 * kms:ViaService and aws:PrincipalArn. Not supported: NotPrincipal, NotAction, NotResource.
 *
 * There are no IAM identity policies here: an account principal (`arn:aws:iam::<acct>:root`
 * or the bare account id), which in AWS delegates to IAM, matches every principal of that
 * account, as if IAM allowed them.
 */

const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const CONDITION_OPERATOR_RE =
  /^(ForAllValues:|ForAnyValue:)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike)(IfExists)?$/;

const PrincipalSchema = z.union([
  z.literal('*'),
  z
    .object({ AWS: OneOrMany.optional(), Service: OneOrMany.optional() })
    .strict()
    .refine((p) => p.AWS !== undefined || p.Service !== undefined, 'Principal names AWS or Service principals'),
]);

const StatementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Principal: PrincipalSchema,
    Action: OneOrMany,
    Resource: OneOrMany.default('*'),
    Condition: z.record(z.string().regex(CONDITION_OPERATOR_RE, 'unsupported condition operator'), z.record(z.string().min(1), OneOrMany)).optional(),
  })
  .strict();

export const KeyPolicySchema = z
  .object({
    Version: z.enum(['2012-10-17', '2008-10-17']),
    Id: z.string().optional(),
    Statement: z.array(StatementSchema).min(1),
  })
  .strict();
export type KeyPolicy = z.output<typeof KeyPolicySchema>;
export type KeyPolicyInput = z.input<typeof KeyPolicySchema>;

/** The policy KMS gives a key created without one: the account (i.e. IAM) may do everything. */
export function defaultKeyPolicy(accountId: string): KeyPolicy {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
}

export interface PolicyRequest {
  /** The caller's ARN and, for an assumed role, the role's ARN. */
  principalArns: readonly string[];
  callerAccount: string;
  /** Service principal for AWSService callers, or the service a call came via. */
  invokedBy?: string;
  isService: boolean;
  action: string;
  resourceArn: string;
  encryptionContext?: EncryptionContext;
}

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

function globToRegExp(glob: string, ignoreCase: boolean): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

function principalMatches(p: z.output<typeof PrincipalSchema>, req: PolicyRequest): boolean {
  if (p === '*') return true;
  for (const entry of p.AWS ? list(p.AWS) : []) {
    if (entry === '*' || req.principalArns.includes(entry)) return true;
    const account = /^arn:aws:iam::(\d{12}):root$/.exec(entry)?.[1] ?? (/^\d{12}$/.test(entry) ? entry : undefined);
    if (account !== undefined && account === req.callerAccount && !req.isService) return true;
  }
  for (const entry of p.Service ? list(p.Service) : []) if (req.isService && req.invokedBy === entry) return true;
  return false;
}

function requestValues(key: string, req: PolicyRequest): string[] | undefined {
  const lower = key.toLowerCase();
  const ctx = req.encryptionContext;
  if (lower.startsWith('kms:encryptioncontext:')) {
    const v = ctx?.[key.slice('kms:EncryptionContext:'.length)];
    return v === undefined ? undefined : [v];
  }
  if (lower === 'kms:encryptioncontextkeys') return ctx && Object.keys(ctx).length > 0 ? Object.keys(ctx) : undefined;
  if (lower === 'kms:calleraccount') return [req.callerAccount];
  if (lower === 'kms:viaservice') return req.invokedBy ? [req.invokedBy] : undefined;
  if (lower === 'aws:principalarn') return [req.principalArns[req.principalArns.length - 1]!];
  return undefined;
}

function conditionHolds(operator: string, key: string, policyValues: string[], req: PolicyRequest): boolean {
  const m = CONDITION_OPERATOR_RE.exec(operator)!;
  const [, setQualifier, base = '', ifExists] = m;
  const negated = base.includes('Not');
  const like = base.endsWith('Like');
  const ignoreCase = base.endsWith('IgnoreCase');
  const values = requestValues(key, req);
  if (values === undefined) {
    // IAM: a missing key fails positive operators and satisfies negated ones; ForAllValues is vacuously true.
    return Boolean(ifExists) || negated || setQualifier === 'ForAllValues:';
  }
  const matchesAny = (v: string) =>
    policyValues.some((pv) => (like ? globToRegExp(pv, false).test(v) : ignoreCase ? pv.toLowerCase() === v.toLowerCase() : pv === v));
  const ok = (v: string) => (negated ? !matchesAny(v) : matchesAny(v));
  if (setQualifier === 'ForAllValues:') return values.every(ok);
  if (setQualifier === 'ForAnyValue:') return values.some(ok);
  return negated ? values.every(ok) : values.some(ok);
}

function statementApplies(s: KeyPolicy['Statement'][number], req: PolicyRequest): boolean {
  if (!principalMatches(s.Principal, req)) return false;
  if (!list(s.Action).some((a) => globToRegExp(a, true).test(req.action))) return false;
  if (!list(s.Resource).some((r) => globToRegExp(r, false).test(req.resourceArn))) return false;
  for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
    for (const [key, values] of Object.entries(entries)) if (!conditionHolds(operator, key, list(values), req)) return false;
  }
  return true;
}

export function evaluatePolicy(policy: KeyPolicy, req: PolicyRequest): PolicyDecision {
  let allowed = false;
  for (const s of policy.Statement) {
    if (!statementApplies(s, req)) continue;
    if (s.Effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}
