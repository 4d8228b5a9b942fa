import Link from 'next/link';

/** The pages keyscope is growing into; each links to its question set (DESIGN.md). */
export const PAGES = [
  { href: '/oncall', label: 'On-call' },
  { href: '/security', label: 'Security' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/blast-radius', label: 'Blast radius' },
  { href: '/rotation', label: 'Rotation' },
  { href: '/posture', label: 'Posture' },
] as const;

export function SiteNav() {
  return (
    <nav style={{ display: 'flex', gap: 20, alignItems: 'center', padding: '12px 32px', background: '#111827', color: '#fff' }}>
      <Link href="/" style={{ color: '#fff', fontWeight: 700, textDecoration: 'none' }}>
        keyscope
      </Link>
      {PAGES.map((p) => (
        <Link key={p.href} href={p.href} style={{ color: '#cbd5e1', textDecoration: 'none' }}>
          {p.label}
        </Link>
      ))}
    </nav>
  );
}
