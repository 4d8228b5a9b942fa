import type { SessionRunner } from './read-pool/read-session';

/**
 * What a question's SQLite answer (lib/questions/<name>/sqlite.ts) gets: sessions on the
 * read pool (cancelled with the request, stopped at the question's time limit), the
 * store's clock, and the raw-row cap for exact answers.
 */
export type SqliteAnswerContext = {
  session: SessionRunner;
  clock: () => number;
  maxExactRows: number;
};
