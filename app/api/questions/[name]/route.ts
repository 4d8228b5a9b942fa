import { guardRoute } from '@/lib/auth/next/guard-route';
import { answerQuestionRoute } from '@/lib/dashboard/server/question-route';

// Reads the live store on every request; nothing here can be prerendered or cached.
export const dynamic = 'force-dynamic';

export const GET = guardRoute('/api/questions/[name]', 'GET', answerQuestionRoute);
