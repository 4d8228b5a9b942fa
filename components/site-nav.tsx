'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { SignOutButton } from './auth/sign-out-button';
import authStyles from './auth/auth.module.css';
import styles from './site-nav.module.css';

export type NavLink = { href: string; label: string };

/**
 * The top bar: product name, one link per page the signed-in role may open (the server
 * decides which: app/layout.tsx), the current one marked, and who is signed in.
 */
export function SiteNav({ links, viewer }: { links: readonly NavLink[]; viewer: { email: string; role: string } | null }) {
  const pathname = usePathname();
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        <span aria-hidden className={styles.logo}>◆</span> keyscope
      </Link>
      <nav aria-label="Main" className={styles.links}>
        {links.map((p) => {
          const current = pathname === p.href || pathname.startsWith(`${p.href}/`);
          return (
            <Link key={p.href} href={p.href} className={current ? `${styles.link} ${styles.current}` : styles.link} aria-current={current ? 'page' : undefined}>
              {p.label}
            </Link>
          );
        })}
      </nav>
      {viewer ? (
        <div className={authStyles.who} data-testid="signed-in-as">
          <span>{viewer.email}</span>
          <span className={authStyles.role}>{viewer.role}</span>
          <SignOutButton />
        </div>
      ) : null}
    </header>
  );
}
