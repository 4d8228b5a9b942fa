/**
 * The read worker, as plain CommonJS run with `new Worker(source, { eval: true })`.
 * A source string needs no file beside the bundle: Next's server bundle (Turbopack or
 * webpack), tsx and vitest all start it the same way, and it imports nothing of keyscope
 * (SQL is built in the main thread; the worker only runs it). docs/store.md, "Reads".
 *
 * Protocol: {id, op, sql?, params?} in; {id, ok, value} or {id, ok: false, error} out.
 * `begin`/`end` bracket one read transaction, so a question's statements share a snapshot.
 * `sorted` reads (bucket, value) rows in bucket order and returns each bucket's values
 * sorted, plus all values sorted, as transferred typed arrays (no copy, no row objects).
 */
export const READ_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
// With no pid, setpriority applies to the calling thread on Linux (the pool asks for it only there).
if (workerData.nice !== 0) { try { require('node:os').setPriority(workerData.nice); } catch {} }
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('cache_size = ' + workerData.cacheKib);

const statements = new Map();
function prepare(sql, raw) {
  const key = (raw ? 'raw:' : '') + sql;
  let stmt = statements.get(key);
  if (stmt === undefined) {
    if (statements.size >= 500) statements.clear();
    stmt = db.prepare(sql);
    if (raw) stmt.raw(true);
    statements.set(key, stmt);
  }
  return stmt;
}

function sorted(sql, params) {
  let values = new Float64Array(4096);
  let n = 0;
  const starts = [];
  const ends = [];
  let current;
  for (const row of prepare(sql, true).iterate(params)) {
    if (row[0] !== current) {
      if (current !== undefined) ends.push(n);
      starts.push(row[0]);
      current = row[0];
    }
    if (n === values.length) {
      const grown = new Float64Array(values.length * 2);
      grown.set(values);
      values = grown;
    }
    values[n++] = row[1];
  }
  if (current !== undefined) ends.push(n);
  values = values.slice(0, n);
  const all = values.slice().sort();
  let from = 0;
  for (const end of ends) {
    values.subarray(from, end).sort();
    from = end;
  }
  const value = { starts: Float64Array.from(starts), ends: Uint32Array.from(ends), values, all };
  return { value, transfer: [value.starts.buffer, value.ends.buffer, values.buffer, all.buffer] };
}

parentPort.on('message', (m) => {
  try {
    let out = { value: undefined, transfer: [] };
    switch (m.op) {
      case 'begin': db.exec('BEGIN'); break;
      case 'end': if (db.inTransaction) db.exec('COMMIT'); break;
      case 'all': out.value = prepare(m.sql, false).all(m.params); break;
      case 'get': out.value = prepare(m.sql, false).get(m.params); break;
      case 'sorted': out = sorted(m.sql, m.params); break;
      default: throw new Error('unknown op ' + m.op);
    }
    parentPort.postMessage({ id: m.id, ok: true, value: out.value }, out.transfer);
  } catch (e) {
    if (db.inTransaction && m.op !== 'end') { try { db.exec('ROLLBACK'); } catch {} }
    parentPort.postMessage({ id: m.id, ok: false, error: { name: String(e && e.name), message: String(e && e.message), code: e && e.code } });
  }
});
`;
