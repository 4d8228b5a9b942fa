import { decide } from '@/lib/auth/access';
import type { Role } from '@/lib/auth/roles';
import { PAGES } from './pages';

/** The pages a role may open, for the nav and the home page (the pages themselves still check). */
export function visiblePages(role: Role | null) {
  return PAGES.filter((p) => decide(p.href, role) === 'allow');
}

export function navLinks(role: Role | null): { href: string; label: string }[] {
  const links: { href: string; label: string }[] = visiblePages(role).map((p) => ({ href: p.href, label: p.label }));
  if (role !== null && decide('/admin/users', role) === 'allow') links.push({ href: '/admin/users', label: 'Users' });
  if (role !== null && decide('/admin/tokens', role) === 'allow') links.push({ href: '/admin/tokens', label: 'Tokens' });
  if (role !== null && decide('/admin/audit', role) === 'allow') links.push({ href: '/admin/audit', label: 'Audit log' });
  return links;
}
