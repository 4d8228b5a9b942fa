import { guardRoute } from '@/lib/auth/next/guard-route';
import { answerRoute } from '@/lib/dashboard/server/answer-route';

// Reads the live store on every request; nothing here can be prerendered or cached.
export const dynamic = 'force-dynamic';

export const GET = guardRoute('/api/oncall/failure-breakdown', 'GET', answerRoute('failureBreakdown'));
