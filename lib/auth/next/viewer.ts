import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { getAuth } from '../keyscope-auth';
import { isRole, type Role } from '../roles';

/** Who is asking: a signed-in user with a role, or null. The role is read from the user at every request. */
export type Viewer = { id: string; email: string; name: string; role: Role };

export async function viewerFromHeaders(h: Headers): Promise<Viewer | null> {
  const auth = await getAuth();
  const s = await auth.api.getSession({ headers: h });
  if (s === null) return null;
  const role: unknown = (s.user as { role?: unknown }).role;
  // A user without a valid role (an IdP group mapping removed since) is treated as signed out.
  if (!isRole(role)) return null;
  return { id: s.user.id, email: s.user.email, name: s.user.name, role };
}

/** Once per server render: layout, page and server components share the answer. */
export const currentViewer = cache(async (): Promise<Viewer | null> => viewerFromHeaders(await headers()));
