// The file table: loads pages from GET /metadata (with the search and order in state.query),
// renders them, and owns "Load more". Rows only ever come from the server; nothing is added or
// removed locally. Row checkboxes are rendered here and driven by selection.js.

import { describeType, formatBytes, formatDateTime, formatFullDateTime, plural } from './format.js';
import { nameElement, quotedName, visibleName } from './names.js';

export const PAGE_SIZE = 50;
const MAX_PAGE = 100;
const REJECTED_QUERY = new Set(['sort_unavailable', 'invalid_sort', 'invalid_order', 'invalid_query', 'invalid_cursor']);

export function createFileList({ store, api, announce, onOpen, onDelete, onDownload = () => {}, onClearSearch = () => {}, onQueryRejected = () => {} }) {
  const table = document.getElementById('file-table');
  const tbody = document.getElementById('file-rows');
  const status = document.getElementById('list-status');
  const count = document.getElementById('file-count');
  const loadMoreButton = document.getElementById('load-more');
  const heading = document.getElementById('files-heading');

  const rowCache = new Map(); // object_key -> { item, row }
  let generation = 0;
  let lastItems = null;

  function setList(patch) {
    store.update((state) => ({ list: { ...state.list, ...patch } }));
  }

  /**
   * Reloads from the first page, fetching at least as many rows as are shown now so a
   * refresh never shrinks what the user paged through. Resolves with the loaded items, or
   * null when a newer reload superseded this one.
   */
  async function reload({ reset = false } = {}) {
    const gen = ++generation;
    const { list, query } = store.get();
    const want = reset ? PAGE_SIZE : Math.max(PAGE_SIZE, list.items.length);
    if (list.status !== 'ready') setList({ status: 'loading', error: null });
    else setList({ refreshing: true });
    try {
      const items = [];
      let cursor = null;
      do {
        const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, want - items.length));
        const page = await api.listFiles({ ...queryParams(query), limit, cursor });
        if (gen !== generation) return null;
        items.push(...(page.items || []));
        cursor = page.next_cursor || null;
      } while (cursor && items.length < want);
      if (gen !== generation) return null;
      // `query`: what these items answer (the search box may already say something newer).
      setList({ status: 'ready', items: dedupe(items), nextCursor: cursor, query, error: null, refreshError: null, refreshing: false, moreError: null, loadingMore: false });
      return store.get().list.items;
    } catch (error) {
      if (gen !== generation) return null;
      // A search or order this server refuses (e.g. an order whose index is still being built).
      if (error.status === 400 && REJECTED_QUERY.has(error.code) && (query.q || query.sort !== 'uploaded' || query.order !== 'desc')) {
        setList({ refreshing: false });
        onQueryRejected(error, query);
        return null;
      }
      if (store.get().list.status === 'ready') {
        setList({ refreshError: error, refreshing: false });
        announce(`Couldn’t refresh the list. ${error.message}`);
      } else {
        setList({ status: 'error', error, refreshing: false });
        announce(`Couldn’t load files. ${error.message}`);
      }
      throw error;
    }
  }

  async function loadMore() {
    const { list } = store.get();
    if (!list.nextCursor || list.loadingMore) return;
    const gen = generation;
    const firstNew = list.items.length;
    const hadFocus = document.activeElement === loadMoreButton;
    setList({ loadingMore: true, moreError: null });
    try {
      // A search page may hold fewer items than asked for: read on until a page's worth arrived.
      // The cursor belongs to the query the loaded items answer.
      const query = list.query || store.get().query;
      const added = [];
      let cursor = list.nextCursor;
      do {
        const page = await api.listFiles({ ...queryParams(query), limit: PAGE_SIZE, cursor });
        if (gen !== generation) return;
        added.push(...(page.items || []));
        cursor = page.next_cursor || null;
      } while (cursor && added.length < PAGE_SIZE);
      const items = dedupe([...store.get().list.items, ...added]);
      setList({ items, nextCursor: cursor, loadingMore: false });
      announce(`Loaded ${plural(items.length - firstNew, 'more file')}. Showing ${plural(items.length, 'file')}.`);
      // The button disappears after the last page: keep keyboard users where the new rows start.
      if (hadFocus && loadMoreButton.hidden) focusNear(firstNew);
    } catch (error) {
      if (gen !== generation) return;
      setList({ loadingMore: false, moreError: error });
      announce(`Couldn’t load more files. ${error.message}`);
    }
  }

  function queryParams({ q, sort, order }) {
    return { q: q || undefined, sort, order };
  }

  function dedupe(items) {
    const seen = new Set();
    return items.filter((item) => !seen.has(item.object_key) && seen.add(item.object_key));
  }

  function indexOf(key) {
    return store.get().list.items.findIndex((item) => item.object_key === key);
  }

  /** After a row disappeared: the row now at its place, the one before it, or the heading. */
  function focusNear(index) {
    const rows = tbody.rows;
    const row = rows[Math.min(index, rows.length - 1)];
    const button = row && row.querySelector('[data-action="open"]');
    if (button) button.focus();
    else heading.focus();
  }

  function focusRow(key, action = 'open') {
    const row = rowCache.get(key);
    const button = row && row.row.querySelector(`[data-action="${action}"]`);
    if (button && button.isConnected) {
      button.focus();
      return true;
    }
    return false;
  }

  tbody.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || !tbody.contains(button)) return;
    const key = button.closest('tr').dataset.key;
    const item = store.get().list.items.find((candidate) => candidate.object_key === key);
    if (!item) return;
    if (button.dataset.action === 'open') onOpen(item, button);
    else if (button.dataset.action === 'delete') onDelete(item, button);
    else if (button.dataset.action === 'download') onDownload(item, button);
  });

  loadMoreButton.addEventListener('click', loadMore);
  status.addEventListener('click', (event) => {
    if (event.target.closest('[data-action="retry"]')) reload().catch(() => {});
    else if (event.target.closest('[data-action="clear-search"]')) onClearSearch();
  });

  function buildRow(item) {
    const row = document.createElement('tr');
    row.dataset.key = item.object_key;
    const label = visibleName(item.file_name || item.object_key);

    const selectCell = document.createElement('td');
    selectCell.className = 'cell-select';
    const check = document.createElement('input');
    check.type = 'checkbox';
    check.className = 'row-check';
    check.dataset.action = 'select';
    check.setAttribute('aria-label', `Select ${label}`);
    selectCell.append(check);

    const nameCell = document.createElement('th');
    nameCell.scope = 'row';
    nameCell.className = 'cell-name';
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'link-button';
    open.dataset.action = 'open';
    open.setAttribute('aria-controls', 'details');
    open.append(nameElement(item.file_name || item.object_key));
    open.title = item.object_key;
    nameCell.append(open);

    const size = document.createElement('td');
    size.className = 'num';
    size.dataset.label = 'Size';
    size.textContent = formatBytes(item.size);

    const type = document.createElement('td');
    type.className = 'cell-type';
    type.dataset.label = 'Type';
    type.textContent = describeType(item.content_type);
    if (item.content_type) type.title = item.content_type;

    const uploaded = document.createElement('td');
    uploaded.className = 'cell-time';
    uploaded.dataset.label = 'Uploaded';
    const time = document.createElement('time');
    time.dateTime = item.uploaded_at || '';
    time.title = formatFullDateTime(item.uploaded_at);
    time.textContent = formatDateTime(item.uploaded_at);
    uploaded.append(time);

    const actions = document.createElement('td');
    actions.className = 'cell-actions';
    const download = document.createElement('button');
    download.type = 'button';
    download.className = 'button button--quiet button--small';
    download.dataset.action = 'download';
    download.textContent = 'Download';
    download.setAttribute('aria-label', `Download ${label}`);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'button button--quiet button--small button--danger-text';
    remove.dataset.action = 'delete';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${label}`);
    actions.append(download, remove);

    row.append(selectCell, nameCell, size, type, uploaded, actions);
    return row;
  }

  function sameItem(a, b) {
    return a.file_name === b.file_name && a.size === b.size && a.content_type === b.content_type && a.uploaded_at === b.uploaded_at;
  }

  function renderRows(items) {
    const active = document.activeElement;
    const focused = active && tbody.contains(active) ? { key: active.closest('tr').dataset.key, action: active.dataset.action } : null;

    const rows = items.map((item) => {
      const cached = rowCache.get(item.object_key);
      if (cached && sameItem(cached.item, item)) return cached.row;
      const row = buildRow(item);
      rowCache.set(item.object_key, { item, row });
      return row;
    });
    const keep = new Set(items.map((item) => item.object_key));
    for (const key of rowCache.keys()) if (!keep.has(key)) rowCache.delete(key);

    const current = Array.from(tbody.rows);
    const unchanged = current.length === rows.length && current.every((row, index) => row === rows[index]);
    if (!unchanged) {
      const appendOnly = current.length <= rows.length && current.every((row, index) => row === rows[index]);
      if (appendOnly) tbody.append(...rows.slice(current.length));
      else tbody.replaceChildren(...rows);
    }
    if (focused && !tbody.contains(document.activeElement)) focusRow(focused.key, focused.action);
  }

  function renderStatus(list, query) {
    status.replaceChildren();
    status.className = 'files__status';
    if (list.status === 'loading') {
      status.append(statusLine('Loading files…', 'loading'));
    } else if (list.status === 'error') {
      status.classList.add('files__status--error');
      status.append(statusLine(`Couldn’t load files. ${list.error.message}`, 'error', true));
    } else if (list.status === 'ready' && list.items.length === 0 && query.q) {
      const empty = document.createElement('div');
      empty.className = 'empty';
      const title = document.createElement('p');
      title.className = 'empty__title';
      title.append('No files match ', quotedName(query.q));
      const clear = document.createElement('button');
      clear.type = 'button';
      clear.className = 'button button--secondary button--small';
      clear.dataset.action = 'clear-search';
      clear.textContent = 'Clear search';
      empty.append(title, clear);
      status.append(empty);
    } else if (list.status === 'ready' && list.items.length === 0) {
      const empty = document.createElement('div');
      empty.className = 'empty';
      const title = document.createElement('p');
      title.className = 'empty__title';
      title.textContent = 'No files yet';
      const text = document.createElement('p');
      text.className = 'muted';
      text.textContent = 'Files you upload appear here, newest first.';
      empty.append(title, text);
      status.append(empty);
    } else if (list.refreshError) {
      status.append(statusLine(`Couldn’t refresh the list. ${list.refreshError.message}`, 'error', true));
    }
  }

  function statusLine(text, kind, withRetry = false) {
    const box = document.createElement('div');
    box.className = `status status--${kind}`;
    if (kind === 'loading') {
      const spinner = document.createElement('span');
      spinner.className = 'spinner';
      spinner.setAttribute('aria-hidden', 'true');
      box.append(spinner);
    }
    const message = document.createElement('p');
    message.textContent = text;
    box.append(message);
    if (withRetry) {
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'button button--secondary button--small';
      retry.dataset.action = 'retry';
      retry.textContent = 'Retry';
      box.append(retry);
    }
    return box;
  }

  function render(state) {
    const { list, selectedKey } = state;
    const query = list.query || state.query;
    renderStatus(list, query);
    const hasRows = list.items.length > 0;
    table.hidden = !hasRows;
    table.setAttribute('aria-busy', String(Boolean(list.refreshing || list.status === 'loading')));
    if (list.items !== lastItems) {
      lastItems = list.items;
      renderRows(list.items);
    }
    for (const { row } of rowCache.values()) {
      const selected = row.dataset.key === selectedKey;
      row.classList.toggle('is-selected', selected);
      if (selected) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }

    loadMoreButton.hidden = !(list.status === 'ready' && list.nextCursor);
    // aria-disabled rather than disabled: a disabled button would drop keyboard focus.
    loadMoreButton.setAttribute('aria-disabled', String(Boolean(list.loadingMore)));
    loadMoreButton.textContent = list.loadingMore ? 'Loading…' : list.moreError ? 'Retry loading more' : 'Load more';

    renderCount(list, query);
  }

  function renderCount(list, query) {
    if (list.status !== 'ready') {
      count.textContent = '';
    } else if (query.q && list.nextCursor) {
      count.textContent = `Showing the first ${plural(list.items.length, 'match', 'matches')}`;
    } else if (query.q) {
      const n = list.items.length;
      count.replaceChildren(`${plural(n, 'file')} ${n === 1 ? 'matches' : 'match'} `, quotedName(query.q));
    } else if (list.nextCursor) {
      const newest = query.sort === 'uploaded' && query.order === 'desc';
      count.textContent = `Showing the ${newest ? 'newest' : 'first'} ${plural(list.items.length, 'file')}`;
    } else {
      count.textContent = plural(list.items.length, 'file');
    }
  }

  store.subscribe(render);
  render(store.get());

  return { reload, loadMore, indexOf, focusNear, focusRow };
}
