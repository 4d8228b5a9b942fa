import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/dashboard/api-error';
import { listSavedSearches, removeSavedSearch, saveSearch } from '../../lib/saved-searches/client';

const saved = {
  id: '0b6f0c5e-8d8b-4d3f-9c43-6a4b8f0a1c2d', ownerId: 'u1', ownerEmail: 'ana@example.com', name: 'n', query: '', range: { kind: 'preset', preset: '24h' },
  columns: [], shared: false, createdAt: '2026-03-02T00:00:00.000Z', updatedAt: '2026-03-02T00:00:00.000Z', mine: true,
};

function answer(status: number, body: unknown) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('the saved-search client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists, saves with a JSON body, removes by id', async () => {
    const f = answer(200, { savedSearches: [saved] });
    expect(await listSavedSearches()).toEqual([saved]);
    expect(f.mock.calls[0]).toMatchObject(['/api/saved-searches', { method: 'GET' }]);
    const p = answer(201, { savedSearch: saved });
    expect(await saveSearch({ name: 'n', query: '', range: { kind: 'preset', preset: '24h' } })).toEqual(saved);
    const init = (p.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(JSON.parse(init.body as string)).toEqual({ name: 'n', query: '', range: { kind: 'preset', preset: '24h' } });
    expect(init.headers).toMatchObject({ 'content-type': 'application/json' });
    const d = answer(200, { deleted: saved });
    expect(await removeSavedSearch(saved.id)).toEqual(saved);
    expect(d.mock.calls[0]).toMatchObject([`/api/saved-searches?id=${saved.id}`, { method: 'DELETE' }]);
  });

  it("turns an error body into ApiError with the server's message and fields", async () => {
    answer(400, { error: { code: 'invalid_params', message: 'invalid parameters: name: a name is required', issues: [{ path: 'name', message: 'a name is required' }] } });
    const err = await saveSearch({ name: '', query: '', range: { kind: 'preset', preset: '24h' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_params', issues: [{ path: 'name' }], permanent: true });
    answer(502, 'upstream');
    expect(await listSavedSearches().catch((e: unknown) => e)).toMatchObject({ status: 502, code: 'internal' });
  });
});
