import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { SiteNav } from '@/components/site-nav';
import './globals.css';

export const metadata = {
  title: { default: 'keyscope', template: '%s · keyscope' },
  description: 'Observability and audit for envelope-encryption key usage',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <SiteNav />
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
