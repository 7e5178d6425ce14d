// Wires the modules together. Every change to what is shown goes through a reload from the
// server: the API is the source of truth. Nothing but the sign-in screen is shown until this tab
// has a session.

import { createApi } from './api.js';
import { createAuth } from './auth.js';
import { createBulkDelete } from './bulk-delete.js';
import { loadConfig } from './config.js';
import { createDeleteDialog } from './delete-dialog.js';
import { createDetails } from './details.js';
import { createDownloader } from './download.js';
import { createFileList } from './file-list.js';
import { plural } from './format.js';
import { quotedName, visibleName } from './names.js';
import { createSearch, queryFromUrl } from './search.js';
import { createSelection } from './selection.js';
import { createSessionView } from './session-view.js';
import { createStore, initialState } from './state.js';
import { createSync } from './sync.js';
import { createUploader } from './upload.js';

const announcer = document.getElementById('announcer');
const notice = document.getElementById('notice');
const noticeText = document.getElementById('notice-text');

// Off once the session is over: what the dashboard's modules still report then is moot.
let announcing = true;

/** Says something to screen readers through the polite live region. */
function announce(message) {
  if (!announcing) return;
  announcer.textContent = '';
  // A fresh text node on the next frame, so repeating a message is announced again.
  requestAnimationFrame(() => {
    announcer.textContent = message;
  });
}

/** A visible message (text, or text and name elements) that stays until dismissed or replaced. */
function showNotice(message, kind = 'info') {
  noticeText.replaceChildren(...[message].flat());
  notice.dataset.kind = kind;
  notice.hidden = false;
}

function hideNotice() {
  notice.hidden = true;
  noticeText.textContent = '';
}

document.getElementById('notice-close').addEventListener('click', () => {
  hideNotice();
  document.getElementById('files-heading').focus();
});

async function start() {
  const store = createStore(initialState);
  let auth = null;
  let sync = null;
  const session = createSessionView({
    onSignIn: () => auth.signIn(),
    onSignOut: () => {
      // Other tabs of this dashboard sign out too.
      if (sync) {
        sync.publish({ type: 'signed-out' });
        sync.stop();
      }
      auth.signOut();
    },
  });
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    // The list shows the problem; its Retry reloads the page once the configuration is readable.
    const retryConfig = {
      listFiles: () => loadConfig().then(() => {
        location.reload();
        return new Promise(() => {});
      }),
    };
    session.showConfigurationError();
    store.update({ list: { ...initialState.list, status: 'error', error } });
    createFileList({ store, api: retryConfig, announce, onOpen() {}, onDelete() {} });
    return;
  }
  auth = createAuth(config.auth);
  const signInError = await auth.completeSignIn();
  if (!auth.isSignedIn()) {
    session.showSignedOut({ error: signInError || '' });
    return;
  }
  auth.onExpired(() => {
    if (sync) sync.stop();
    session.showSignedOut({ expired: true, focus: true });
    announce('Your session has expired. Sign in again.');
    announcing = false;
  });
  session.showDashboard(auth.user().name);

  if (config.maxUploadBytes !== null) store.update({ maxUploadBytes: config.maxUploadBytes });
  const api = createApi(config.apiUrl, auth);
  store.update({ query: queryFromUrl() });

  const fileList = createFileList({
    store,
    api,
    announce,
    onOpen: (item) => details.open(item),
    onDelete: (item, invoker) => deleteDialog.open(item, invoker),
    onDownload: (item, invoker) => downloader.download(item, invoker),
    onClearSearch: () => search.clear(),
    onQueryRejected: (error, query) => {
      const message = `${error.message} Showing the newest files instead.`;
      showNotice(message, 'warning');
      announce(message);
      search.rejected(error, query);
    },
  });

  const selection = createSelection({
    store,
    api,
    announce,
    onDelete: (items, invoker) => bulkDelete.open(items, invoker),
  });

  const search = createSearch({
    store,
    onChange: async (next, previous) => {
      selection.queryChanged(next, previous);
      let items;
      try {
        items = await fileList.reload({ reset: true });
      } catch {
        return; // The list shows its own error and Retry.
      }
      if (!items) return;
      if (next.q) announce(items.length ? `${plural(items.length, 'file')} ${items.length === 1 ? 'matches' : 'match'} “${next.q}”.` : `No files match “${next.q}”.`);
      else announce(`Showing ${plural(items.length, 'file')}.`);
    },
  });

  const downloader = createDownloader({
    api,
    announce,
    onMissing: (item) => {
      showNotice(['That file no longer exists: ', quotedName(item.file_name), '.'], 'warning');
      refresh();
    },
  });

  const details = createDetails({
    store,
    api,
    announce,
    onDelete: (item, invoker) => deleteDialog.open(item, invoker),
    onClose: (item) => {
      details.clear();
      if (!fileList.focusRow(item.object_key)) document.getElementById('files-heading').focus();
    },
    onMissing: () => refresh(),
  });

  /** Reloads and tells screen-reader users what changed, if anything. */
  async function refresh({ announceUnchanged = false } = {}) {
    const before = new Set(store.get().list.items.map((item) => item.object_key));
    let items;
    try {
      items = await fileList.reload();
    } catch {
      return;
    }
    if (!items) return;
    const after = new Set(items.map((item) => item.object_key));
    const added = items.filter((item) => !before.has(item.object_key)).length;
    const removed = [...before].filter((key) => !after.has(key)).length;
    const selected = store.get().selectedKey;
    if (selected && before.has(selected) && !after.has(selected)) {
      details.showMessage('The file shown here was deleted.');
    }
    const parts = [];
    if (added) parts.push(`${plural(added, 'new file')}`);
    if (removed) parts.push(`${plural(removed, 'file')} removed`);
    if (parts.length) announce(`List updated: ${parts.join(', ')}.`);
    else if (announceUnchanged) announce(`List is up to date: ${plural(items.length, 'file')}.`);
  }

  /** After this tab removed (or found already removed) a file: server list, then focus. */
  async function afterRemoval(item) {
    const index = fileList.indexOf(item.object_key);
    if (store.get().selectedKey === item.object_key) details.clear([quotedName(item.file_name), ' was deleted.']);
    sync.publish({ type: 'deleted', key: item.object_key, name: item.file_name });
    try {
      await fileList.reload();
    } catch {
      // The list shows its own error and Retry.
    }
    fileList.focusNear(Math.max(index, 0));
  }

  const deleteDialog = createDeleteDialog({
    api,
    announce,
    onDeleted: async (item) => {
      hideNotice();
      await afterRemoval(item);
    },
    onAlreadyGone: async (item) => {
      showNotice([quotedName(item.file_name), ' was already deleted.'], 'warning');
      announce(`${visibleName(item.file_name)} was already deleted.`);
      await afterRemoval(item);
    },
  });

  const bulkDelete = createBulkDelete({
    api,
    announce,
    onFinished: async ({ gone, failed, total }) => {
      const goneKeys = new Set(gone.map((item) => item.object_key));
      selection.remove(goneKeys);
      const shownKey = store.get().selectedKey;
      if (shownKey && goneKeys.has(shownKey)) {
        const item = gone.find((candidate) => candidate.object_key === shownKey);
        details.clear([quotedName(item.file_name), ' was deleted.']);
      }
      if (gone.length) sync.publish({ type: 'deleted', keys: [...goneKeys] });
      if (failed.length === 0) {
        const message = `Deleted ${plural(gone.length, 'file')}.`;
        showNotice(message);
        announce(message);
      } else {
        hideNotice();
      }
      try {
        await fileList.reload();
      } catch {
        // The list shows its own error and Retry.
      }
      return total;
    },
  });

  sync = createSync({
    store,
    reload: () => fileList.reload(),
    onRemoteChange: (message) => {
      if (message.type === 'signed-out') {
        sync.stop();
        auth.forget();
        session.showSignedOut({ error: 'You signed out in another tab.', focus: true });
        announcing = false;
        return;
      }
      if (message.type === 'deleted' && message.key === store.get().selectedKey) {
        details.showMessage([quotedName(message.name || message.key), ' was deleted in another tab.']);
      }
      if (message.type === 'deleted' && Array.isArray(message.keys)) {
        if (message.keys.includes(store.get().selectedKey)) details.showMessage('The file shown here was deleted in another tab.');
        selection.remove(message.keys);
      }
      refresh();
    },
    onResume: () => refresh(),
  });

  createUploader({
    store,
    api,
    announce,
    waitForKey: (key) => (listsNewestFirst() ? sync.waitForKey(key) : waitUntilStored(key)),
    onUploaded: (key) => sync.publish({ type: 'uploaded', key }),
    onShow: (key) => {
      const item = store.get().list.items.find((candidate) => candidate.object_key === key);
      // With a search or another order the new file may not be on the loaded pages.
      details.open(item || { object_key: key, file_name: key.split('/').pop() });
    },
  });

  /** True when the list starts with the newest files, so a new upload shows up on its first page. */
  function listsNewestFirst() {
    const { q, sort, order } = store.get().query;
    return !q && sort === 'uploaded' && order === 'desc';
  }

  /** With a search or another order: waits until the server has the file's metadata (~11 s at most). */
  async function waitUntilStored(key) {
    for (const delay of [300, 600, 1000, 1500, 2000, 2500, 3000]) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        await api.getFile(key);
        refresh();
        return true;
      } catch {
        // Not recorded yet (404), or a passing failure: ask again.
      }
    }
    return false;
  }

  document.getElementById('refresh-button').addEventListener('click', () => refresh({ announceUnchanged: true }));

  try {
    const items = await fileList.reload();
    if (items) announce(items.length ? `${plural(items.length, 'file')} loaded.` : 'No files yet.');
  } catch {
    // The list shows the error with a Retry button.
  }
}

start();
