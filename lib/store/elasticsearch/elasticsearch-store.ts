import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../../config';
import type { KeyState } from '../../model/key-state';
import type { z } from 'zod';
import type { Question } from '../../questions/define';
import type { AnswerOptions, CheckpointValue, OpenMode, Store, StoredCheckpoint, WriteBatch, WriteResult } from '../types';
import { StoreError } from '../types';
import { checkCluster, createClient } from './connect';
import { deleteBySearch } from './delete-by-search';
import { deleteCheckpointsByPrefix } from './delete-checkpoints';
import type { ElasticsearchAnswerContext } from './answer-context';
import { IndexNames, compositeId } from './names';
import { readKeyStates } from './read-key-states';
import { searcher, type Searcher } from './search';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { existingIndexMappings, indexTemplates } from './templates';
import { EsBatchWriter } from './write-batch';

export type ElasticsearchStoreOptions = {
  config: ElasticsearchConfig;
  mode: OpenMode;
  clock: () => number;
  /** Refresh after every write so the next read sees it (tests); off in production, where the index refresh interval applies. */
  refreshAfterWrite?: boolean;
  retry?: Partial<RetryPolicy>;
};

const CHECKPOINT_PAGE = 5000;

type CheckpointDoc = { source: string; key: string; value_json: string; updated_at: number };

/**
 * The scale-out backend (DESIGN.md, "Stores"): the same questions as sqlite, each answered by
 * its lib/questions/<name>/elasticsearch.ts with aggregations from pure request builders.
 */
export class ElasticsearchStore implements Store {
  private readonly names: IndexNames;
  private readonly search: Searcher;
  private readonly writer: EsBatchWriter | null;
  private closed = false;

  constructor(private readonly client: Client, private readonly options: ElasticsearchStoreOptions & { retry: RetryPolicy }) {
    this.names = new IndexNames(options.config.indexPrefix);
    this.search = searcher(client, options.retry);
    this.writer = options.mode === 'readwrite'
      ? new EsBatchWriter(client, this.names, { maxBytes: options.config.bulkBytes, concurrency: options.config.bulkConcurrency, retry: options.retry }, options.clock, options.refreshAfterWrite ?? false)
      : null;
  }

  /**
   * Installs the index templates (the writer does this at start; readers never write).
   * Indices are created by the first write into them, from these templates; until then
   * reads treat them as empty.
   */
  async install(): Promise<void> {
    for (const t of indexTemplates(this.names)) {
      await withRetry(this.options.retry, 'installing an Elasticsearch index template', () => this.client.indices.putIndexTemplate(t));
    }
    for (const m of existingIndexMappings(this.names)) {
      await withRetry(this.options.retry, 'adding new fields to existing Elasticsearch indices', () => this.client.indices.putMapping(m));
    }
  }

  private open(): void {
    if (this.closed) throw new StoreError('store is closed');
  }

  async writeBatch(batch: WriteBatch): Promise<WriteResult> {
    this.open();
    if (this.writer === null) throw new StoreError('store was opened read-only; only the ingest service writes');
    return this.writer.write(batch);
  }

  /** Makes every acknowledged write visible to searches now (an import ends with this). */
  async refresh(): Promise<void> {
    await this.writer?.refresh();
  }

  async getCheckpoint(source: string, key: string): Promise<CheckpointValue | null> {
    this.open();
    try {
      const doc = await withRetry(this.options.retry, 'an Elasticsearch get', () =>
        this.client.get<CheckpointDoc>({ index: this.names.entity('checkpoints'), id: compositeId(source, key) }),
      );
      return doc._source === undefined ? null : (JSON.parse(doc._source.value_json) as CheckpointValue);
    } catch (err) {
      if (err instanceof errors.ResponseError && err.statusCode === 404) return null;
      throw err;
    }
  }

  async listCheckpoints(source: string): Promise<StoredCheckpoint[]> {
    this.open();
    // Paged with search_after: a search returns at most 10,000 hits, and a trail has more files.
    const out: StoredCheckpoint[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await this.search({
        index: this.names.entity('checkpoints'), ignore_unavailable: true, allow_no_indices: true,
        size: CHECKPOINT_PAGE, query: { term: { source } }, sort: [{ key: 'asc' }], ...(after ? { search_after: after } : {}),
      });
      const hits = res.hits.hits;
      for (const h of hits) {
        const d = h._source as CheckpointDoc;
        out.push({ source, key: d.key, value: JSON.parse(d.value_json) as CheckpointValue, updatedAt: new Date(d.updated_at).toISOString() });
      }
      if (hits.length < CHECKPOINT_PAGE) return out;
      after = hits[hits.length - 1]!.sort;
    }
  }

  deleteCheckpoints(source: string, keyPrefixes: readonly string[]): Promise<number> {
    this.open();
    if (this.writer === null) return Promise.reject(new StoreError('store was opened read-only; only the ingest service writes'));
    return deleteCheckpointsByPrefix(this.client, this.names.entity('checkpoints'), this.options.retry, source, keyPrefixes);
  }

  pruneDeadLetters(before: Date): Promise<number> {
    this.open();
    if (this.writer === null) return Promise.reject(new StoreError('store was opened read-only; only the ingest service writes'));
    return deleteBySearch(this.client, this.names.entity('dead-letters'), this.options.retry, 'dead letters', { range: { '@timestamp': { lt: before.toISOString() } } }, [{ '@timestamp': 'asc' }]);
  }


  /** Runs the question's Elasticsearch answer with a searcher bound to the request's signal and the question's time limit. */
  answer<P extends z.ZodType, R extends z.ZodType>(question: Question<string, P, R>, params: z.output<P>, options: AnswerOptions = {}): Promise<z.output<R>> {
    const ctx: ElasticsearchAnswerContext = {
      search: searcher(this.client, this.options.retry, { limitMs: question.cost.timeLimitMs, signal: options.signal }),
      names: this.names,
      clock: this.options.clock,
    };
    return this.read(() => question.answers.elasticsearch(ctx, params));
  }

  keyStates(): Promise<KeyState[]> {
    return this.read(() => withRetry(this.options.retry, 'reading key states from Elasticsearch', () => readKeyStates(this.client, this.names)));
  }

  private read<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('store is closed'));
    return fn();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.writer !== null) await this.writer.refresh().catch(() => {});
    this.closed = true;
    await this.client.close();
  }
}

/** Connects, checks the cluster, and (for the writer) installs templates and entity indices. */
export async function openElasticsearchStore(options: ElasticsearchStoreOptions): Promise<ElasticsearchStore> {
  const client = createClient(options.config);
  try {
    await checkCluster(client, options.config);
    const store = new ElasticsearchStore(client, { ...options, retry: { ...DEFAULT_RETRY, ...options.retry } });
    if (options.mode === 'readwrite') await store.install();
    return store;
  } catch (err) {
    await client.close();
    throw err;
  }
}
