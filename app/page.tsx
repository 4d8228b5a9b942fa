import Link from 'next/link';
import { PAGES } from '@/components/pages';
import styles from './home.module.css';

export default function HomePage() {
  return (
    <section>
      <h1>keyscope</h1>
      <p className={styles.lead}>How your encryption keys are used: unwrap SLOs, rotation, blast radius, anomalous access.</p>
      <ul className={styles.grid}>
        {PAGES.map((p) => (
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
