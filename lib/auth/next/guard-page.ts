import 'server-only';
import { forbidden, unauthorized } from 'next/navigation';
import { decide, type RoutePath } from '../access';
import { currentViewer, type Viewer } from './viewer';

/**
 * Every page's first line: `await guardPage('/oncall')`. No session renders
 * app/unauthorized.tsx (401, with the sign-in form); a role the page does not allow renders
 * app/forbidden.tsx (403). Returns who is signed in (null on public pages).
 */
export async function guardPage(path: RoutePath): Promise<Viewer | null> {
  const viewer = await currentViewer();
  const d = decide(path, viewer?.role ?? null);
  if (d === 'unauthenticated') unauthorized();
  if (d === 'forbidden') forbidden();
  return viewer;
}
