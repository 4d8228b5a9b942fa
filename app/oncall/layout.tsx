import type { ReactNode } from 'react';
import { guardPage } from '@/lib/auth/next/guard-page';

/**
 * loading.tsx streams this segment's page behind a Suspense boundary, after the status is
 * sent: the check here, above that boundary, makes a refusal a real 401 or 403. The page checks too.
 */
export default async function OnCallLayout({ children }: { children: ReactNode }) {
  await guardPage('/oncall');
  return children;
}
