import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import { readFileSync } from 'node:fs';
import type { ElasticsearchConfig } from '../../config';
import { StoreError } from '../types';

/** The client keyscope uses: @elastic/elasticsearch 8.19 speaks to 8.x and 9.x servers. */
export function createClient(config: ElasticsearchConfig): Client {
  const options: ClientOptions = {
    nodes: config.nodes,
    // The store retries whole requests itself with backoff (./retry.ts), so that a node
    // restart is waited out rather than failed after the client's few quick retries.
    maxRetries: 0,
    requestTimeout: 60_000,
    compression: false,
  };
  if (config.auth !== null) options.auth = config.auth;
  if (config.caFile !== null) options.tls = { ca: readFileSync(config.caFile, 'utf8') };
  return new Client(options);
}

const SUPPORTED_MAJORS = [8, 9];

/** The server's version: GET / where it is served, else the coordinating node's own info. */
async function serverVersion(client: Client): Promise<string> {
  try {
    return (await client.info()).version.number;
  } catch (err) {
    // A node without the rest-root module (the local test node) has no GET /.
    if (err instanceof errors.ResponseError && (err.statusCode === 405 || err.statusCode === 404)) {
      const nodes = await client.nodes.info({ node_id: '_local', metric: '_none' });
      const node = Object.values(nodes.nodes)[0];
      if (node !== undefined) return node.version;
    }
    throw err;
  }
}

/**
 * Checks at start-up that the cluster answers, accepts the credentials and runs a version
 * this client speaks, and says what to fix when it does not.
 */
export async function checkCluster(client: Client, config: ElasticsearchConfig): Promise<string> {
  const where = config.nodes.join(', ');
  let version: string;
  try {
    version = await serverVersion(client);
  } catch (err) {
    if (err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError) {
      throw new StoreError(`cannot reach Elasticsearch at ${where} (${err.message}); start it (npm run dev:es for a local node) or set KEYSCOPE_ES_NODE`);
    }
    if (err instanceof errors.ProductNotSupportedError) {
      throw new StoreError(`the server at ${where} is not Elasticsearch (no X-Elastic-Product header); keyscope's elasticsearch store needs Elasticsearch 8.x or 9.x`);
    }
    if (err instanceof errors.ResponseError && err.statusCode === 401) {
      throw new StoreError(`Elasticsearch at ${where} refused the credentials (401); check KEYSCOPE_ES_API_KEY or KEYSCOPE_ES_USERNAME/KEYSCOPE_ES_PASSWORD`);
    }
    if (err instanceof errors.ResponseError && err.statusCode === 403) {
      throw new StoreError(`Elasticsearch at ${where} denied the cluster info call (403); the API key or user needs the "monitor" cluster privilege`);
    }
    throw new StoreError(`Elasticsearch at ${where} failed the start-up check: ${err instanceof Error ? err.message : String(err)}`);
  }
  const major = Number(version.split('.')[0]);
  if (!SUPPORTED_MAJORS.includes(major)) {
    throw new StoreError(`Elasticsearch at ${where} runs ${version}; keyscope's client (8.19) talks to 8.x and 9.x servers: upgrade the cluster or point KEYSCOPE_ES_NODE at one`);
  }
  return version;
}
