import type { ReactNode } from 'react';
import { guardPage } from '@/lib/auth/next/guard-page';

/** The check above loading.tsx's Suspense boundary makes a refusal a real 401 or 403 (as app/oncall/layout.tsx). */
export default async function Layout({ children }: { children: ReactNode }) {
  await guardPage('/keys');
  return children;
}
