// Ticking files for a bulk action: a checkbox per row, one for every row shown, "Select all" for
// the files not loaded yet (read from the server page by page), and the toolbar that shows the
// count and offers "Delete N files". The selection lives in state.selection and survives "Load
// more" and re-renders; files that vanish from the list leave it.

import { plural } from './format.js';

const COLLECT_PAGE = 100;

export function createSelection({ store, api, announce, onDelete }) {
  const tbody = document.getElementById('file-rows');
  const pageBox = document.getElementById('select-page');
  const toolbar = document.getElementById('selection-toolbar');
  const countText = document.getElementById('selection-count');
  const allButton = document.getElementById('select-all-matching');
  const deleteButton = document.getElementById('bulk-delete-button');
  const clearButton = document.getElementById('clear-selection');
  const heading = document.getElementById('files-heading');

  let collecting = null; // { token, count } while "Select all" reads the pages
  let token = 0;
  let lastItems = store.get().list.items;
  let keepOnNextList = false;

  function set(items, all = null) {
    store.update({ selection: { items, all } });
  }

  function selected() {
    return store.get().selection.items;
  }

  /** The selected files, in the order they were selected. */
  function items() {
    return Array.from(selected().values());
  }

  function toggle(item, on) {
    const next = new Map(selected());
    if (on) next.set(item.object_key, item);
    else next.delete(item.object_key);
    set(next);
  }

  function clear({ quiet = false } = {}) {
    token += 1;
    collecting = null;
    if (selected().size === 0 && !store.get().selection.all) return render(store.get());
    set(new Map());
    if (!quiet) announce('Selection cleared.');
  }

  /** Drops files that are gone (deleted here or elsewhere). */
  function remove(keys) {
    const next = new Map(selected());
    let changed = false;
    for (const key of keys) changed = next.delete(key) || changed;
    if (changed) set(next);
  }

  /** After the search changed: a new search selects afresh; a new order keeps the same files. */
  function queryChanged(next, previous) {
    if (next.q !== previous.q) clear();
    else keepOnNextList = true;
  }

  async function selectAll() {
    if (collecting) return;
    const mine = ++token;
    collecting = { count: 0 };
    render(store.get());
    // What the list shows, even if the search box already holds a newer search.
    const query = store.get().list.query || store.get().query;
    const found = new Map();
    try {
      let cursor = null;
      do {
        const page = await api.listFiles({ q: query.q || undefined, sort: query.sort, order: query.order, limit: COLLECT_PAGE, cursor });
        if (mine !== token) return;
        for (const item of page.items || []) found.set(item.object_key, item);
        cursor = page.next_cursor || null;
        collecting.count = found.size;
        render(store.get());
      } while (cursor);
    } catch (error) {
      if (mine !== token) return;
      collecting = null;
      render(store.get());
      announce(`Couldn’t select all files. ${error.message}`);
      return;
    }
    collecting = null;
    set(found, { count: found.size, q: query.q });
    announce(allText(found.size, query.q));
    if (document.activeElement === allButton || document.activeElement === document.body) deleteButton.focus();
  }

  function allText(count, q) {
    return count === 1 ? `The 1 ${q ? 'matching ' : ''}file is selected` : `All ${plural(count, q ? 'matching file' : 'file')} are selected`;
  }

  tbody.addEventListener('change', (event) => {
    const box = event.target.closest('input[data-action="select"]');
    if (!box) return;
    const key = box.closest('tr').dataset.key;
    const item = store.get().list.items.find((candidate) => candidate.object_key === key);
    if (item) toggle(item, box.checked);
  });

  pageBox.addEventListener('change', () => {
    const { list } = store.get();
    const everyShown = list.items.length > 0 && list.items.every((item) => selected().has(item.object_key));
    const next = new Map(selected());
    for (const item of list.items) {
      if (everyShown) next.delete(item.object_key);
      else next.set(item.object_key, item);
    }
    token += 1;
    collecting = null;
    set(next);
    announce(everyShown ? 'Files shown unselected.' : `${plural(list.items.length, 'file')} selected.`);
  });

  allButton.addEventListener('click', selectAll);
  clearButton.addEventListener('click', () => {
    clear();
    (pageBox.isConnected && !document.getElementById('file-table').hidden ? pageBox : heading).focus();
  });
  deleteButton.addEventListener('click', () => {
    if (selected().size) onDelete(items(), deleteButton);
  });

  function prune(list) {
    if (list.items === lastItems) return;
    const before = lastItems;
    lastItems = list.items;
    if (list.status !== 'ready') return;
    if (keepOnNextList) {
      keepOnNextList = false;
      return;
    }
    const now = new Set(list.items.map((item) => item.object_key));
    const gone = before.filter((item) => !now.has(item.object_key)).map((item) => item.object_key);
    if (gone.length) remove(gone);
  }

  function render(state) {
    const { list, selection } = state;
    const query = list.query || state.query;
    const chosen = selection.items;
    for (const row of tbody.rows) {
      const on = chosen.has(row.dataset.key);
      const box = row.querySelector('input[data-action="select"]');
      if (box && box.checked !== on) box.checked = on;
      row.classList.toggle('is-checked', on);
    }
    const shown = list.items.filter((item) => chosen.has(item.object_key)).length;
    pageBox.checked = shown > 0 && shown === list.items.length;
    pageBox.indeterminate = shown > 0 && shown < list.items.length;

    const count = chosen.size;
    toolbar.hidden = count === 0 && !collecting;
    if (toolbar.hidden && toolbar.contains(document.activeElement)) heading.focus();
    countText.textContent = selection.all ? allText(selection.all.count, selection.all.q) : `${count} selected`;
    const offerAll = !selection.all && list.nextCursor && shown === list.items.length && shown > 0;
    allButton.hidden = !(offerAll || collecting);
    allButton.setAttribute('aria-disabled', String(Boolean(collecting)));
    allButton.textContent = collecting
      ? `Selecting… ${plural(collecting.count, 'file')} so far`
      : query.q ? 'Select all matching files' : 'Select all files';
    deleteButton.textContent = `Delete ${plural(count, 'file')}`;
    deleteButton.hidden = count === 0;
  }

  store.subscribe((state) => {
    prune(state.list);
    render(store.get());
  });
  render(store.get());

  return { clear, remove, items, queryChanged };
}
