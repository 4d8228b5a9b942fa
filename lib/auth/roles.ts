import { z } from 'zod';

/**
 * keyscope's roles (issue 13): viewer — on-call and rotation, aggregates only; analyst —
 * plus audit search, raw records, principals, blast radius, alert workflow; admin —
 * everything plus users, tokens and settings; executive — posture and aggregates only.
 */
export const ROLES = ['viewer', 'analyst', 'admin', 'executive'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/** When an identity provider's groups grant several roles, the first of these wins. */
export const ROLE_PRECEDENCE: readonly Role[] = ['admin', 'analyst', 'viewer', 'executive'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who sees what (issue 13): aggregates for viewers and up; raw records for analysts; settings for admins. */
export const AGGREGATE_ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];
export const ANALYST_ROLES: readonly Role[] = ['analyst', 'admin'];
export const ADMIN_ROLES: readonly Role[] = ['admin'];
