import Link from 'next/link';
import { PAGES } from './pages';
import styles from './coming-next.module.css';

/** A page that is planned but not built: what it will show and who it is for, so the nav never leads nowhere. */
export function ComingNext({ href, shows }: { href: (typeof PAGES)[number]['href']; shows: readonly string[] }) {
  const page = PAGES.find((p) => p.href === href)!;
  return (
    <section className={styles.box}>
      <div className={styles.tag}>Coming next</div>
      <h1>{page.label}</h1>
      <p className={styles.lead}>
        For the {page.audience.toLowerCase()}: {page.summary}
      </p>
      <h2>It will show</h2>
      <ul>
        {shows.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <p className={styles.meanwhile}>
        Meanwhile, the <Link href="/oncall">On-call</Link> page shows unwrap SLOs, failures and KMS throttling from the same store.
      </p>
    </section>
  );
}
