// One small observable store: modules read a snapshot, change it with update(), and re-render
// when notified. No module keeps its own copy of server data.

export function createStore(initial) {
  let state = initial;
  const listeners = new Set();
  return {
    get: () => state,
    update(patch) {
      const next = typeof patch === 'function' ? patch(state) : patch;
      state = { ...state, ...next };
      for (const listener of listeners) listener(state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const initialState = Object.freeze({
  // The file list, exactly as the server returned it (pages concatenated).
  list: { status: 'loading', items: [], nextCursor: null, error: null, loadingMore: false, moreError: null },
  // Key of the file whose details are shown, or null.
  selectedKey: null,
  // What the list shows: a search (empty for none) and the order, as sent to GET /metadata.
  query: { q: '', sort: 'uploaded', order: 'desc' },
  // Files ticked for a bulk action: object_key -> item. `all` is set once every file matching the
  // query was selected ({ count, q }), and cleared by any change to the selection.
  selection: { items: new Map(), all: null },
  // Largest upload the API accepts, once known (config or a POST /uploads answer).
  maxUploadBytes: null,
});
