'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { PAGES } from './pages';
import styles from './site-nav.module.css';

/** The top bar: product name and one link per page, the current one marked for sighted and screen-reader users. */
export function SiteNav() {
  const pathname = usePathname();
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        <span aria-hidden className={styles.logo}>◆</span> keyscope
      </Link>
      <nav aria-label="Main" className={styles.links}>
        {PAGES.map((p) => {
          const current = pathname === p.href || pathname.startsWith(`${p.href}/`);
          return (
            <Link key={p.href} href={p.href} className={current ? `${styles.link} ${styles.current}` : styles.link} aria-current={current ? 'page' : undefined}>
              {p.label}
            </Link>
          );
        })}
      </nav>
    </header>
  );
}
