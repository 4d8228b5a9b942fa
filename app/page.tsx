import Link from 'next/link';
import { PAGES } from '@/components/site-nav';

export default function HomePage() {
  return (
    <section>
      <h1>keyscope</h1>
      <p>How your encryption keys are used: unwrap SLOs, rotation, blast radius, anomalous access.</p>
      <ul>
        {PAGES.map((p) => (
          <li key={p.href}>
            <Link href={p.href}>{p.label}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
