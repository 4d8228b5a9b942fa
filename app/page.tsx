import Link from 'next/link';
import { guardPage } from '@/lib/auth/next/guard-page';
import { visiblePages } from '@/components/visible-pages';
import styles from './home.module.css';

export default async function HomePage() {
  const viewer = await guardPage('/');
  return (
    <section>
      <h1>keyscope</h1>
      <p className={styles.lead}>How your encryption keys are used: unwrap SLOs, rotation, blast radius, anomalous access.</p>
      <ul className={styles.grid}>
        {visiblePages(viewer?.role ?? null).map((p) => (
          <li key={p.href} className={styles.card}>
            <Link href={p.href} className={styles.title}>{p.label}</Link>
            <div className={styles.audience}>{p.audience}</div>
            <p>{p.summary}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
