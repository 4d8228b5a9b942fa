import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { SiteNav } from '@/components/site-nav';
import { currentViewer } from '@/lib/auth/next/viewer';
import { navLinks } from '@/components/visible-pages';
import './globals.css';

export const metadata = {
  title: { default: 'keyscope', template: '%s · keyscope' },
  description: 'Observability and audit for envelope-encryption key usage',
};

// Per request: the session decides the nav, and proxy.ts's CSP nonce needs a dynamic render.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await currentViewer();
  return (
    <html lang="en">
      <body>
        <Providers>
          <SiteNav links={navLinks(viewer?.role ?? null)} viewer={viewer ? { email: viewer.email, role: viewer.role } : null} />
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
