import { guardRoute } from '@/lib/auth/next/guard-route';
import { getAuth } from '@/lib/auth/keyscope-auth';

// better-auth's endpoints: sign-in (email, OIDC), OIDC callbacks, session, sign-out.
export const dynamic = 'force-dynamic';

const handle = async (request: Request) => (await getAuth()).handler(request);

export const GET = guardRoute('/api/auth/[...all]', 'GET', handle);
export const POST = guardRoute('/api/auth/[...all]', 'POST', handle);
