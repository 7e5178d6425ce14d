// The search box and the sort menu. They set state.query, keep it in the address bar (so a reload
// shows the same list) and ask the list to load its first page again; the server does the search.

const DEBOUNCE_MS = 250;
const MAX_QUERY = 200;
const SORTS = new Set(['uploaded', 'name', 'size']);
const ORDERS = new Set(['asc', 'desc']);
export const DEFAULT_QUERY = Object.freeze({ q: '', sort: 'uploaded', order: 'desc' });

/** The query in the address bar, with anything unknown replaced by the default. */
export function queryFromUrl() {
  const params = new URLSearchParams(location.search);
  const q = (params.get('q') || '').trim().slice(0, MAX_QUERY);
  const sort = SORTS.has(params.get('sort')) ? params.get('sort') : DEFAULT_QUERY.sort;
  const order = ORDERS.has(params.get('order')) ? params.get('order') : DEFAULT_QUERY.order;
  return { q, sort, order };
}

function writeUrl({ q, sort, order }) {
  const params = new URLSearchParams(location.search);
  for (const name of ['q', 'sort', 'order']) params.delete(name);
  if (q) params.set('q', q);
  if (sort !== DEFAULT_QUERY.sort || order !== DEFAULT_QUERY.order) {
    params.set('sort', sort);
    params.set('order', order);
  }
  const search = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

export function createSearch({ store, onChange }) {
  const input = document.getElementById('search-input');
  const select = document.getElementById('sort-select');
  let timer = null;

  function show({ q, sort, order }) {
    if (input.value.trim() !== q) input.value = q;
    select.value = `${sort}:${order}`;
  }

  function apply(patch, { force = false } = {}) {
    clearTimeout(timer);
    timer = null;
    const current = store.get().query;
    const next = { ...current, ...patch };
    if (!force && next.q === current.q && next.sort === current.sort && next.order === current.order) return;
    store.update({ query: next });
    writeUrl(next);
    onChange(next, current);
  }

  function searchNow() {
    apply({ q: input.value.trim().slice(0, MAX_QUERY) });
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(searchNow, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      searchNow();
    } else if (event.key === 'Escape' && input.value) {
      // type=search clears itself on Escape in some browsers; do it everywhere, and search at once.
      event.preventDefault();
      input.value = '';
      searchNow();
    }
  });
  // The clear (×) button of a search field fires "search" with an empty value.
  input.addEventListener('search', () => {
    if (!input.value) searchNow();
  });
  select.addEventListener('change', () => {
    const [sort, order] = select.value.split(':');
    apply({ sort, order });
  });

  /**
   * After the server refused the query: an order it can't give yet is offered no more, and the
   * list falls back to newest first (and no search, if the search itself was refused).
   */
  function rejected(error, query) {
    if (error.code === 'sort_unavailable') {
      for (const option of select.options) if (option.value.startsWith(`${query.sort}:`)) option.disabled = true;
    }
    const patch = { sort: DEFAULT_QUERY.sort, order: DEFAULT_QUERY.order };
    if (error.code === 'invalid_query') patch.q = '';
    show({ ...store.get().query, ...patch });
    apply(patch, { force: true });
  }

  /** Empties the search box and lists every file again (the "Clear search" button). */
  function clear() {
    input.value = '';
    apply({ q: '' });
    input.focus();
  }

  show(store.get().query);
  return { clear, show, rejected };
}
