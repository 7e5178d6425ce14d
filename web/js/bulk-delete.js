// Deleting the selected files: a modal confirmation that names the count (and the files, when
// few), then DELETE /metadata in batches of BATCH keys with progress, then a summary. Files that
// could not be deleted are listed with their error and "Retry failed" sends only those again.
// Cancel has focus when it opens, so Enter or Escape never deletes by accident.

import { plural } from './format.js';
import { nameElement } from './names.js';

export const BATCH = 100;
const NAMES_SHOWN = 10;

export function createBulkDelete({ api, announce, onFinished }) {
  const dialog = document.getElementById('bulk-dialog');
  const title = document.getElementById('bulk-title');
  const desc = document.getElementById('bulk-desc');
  const names = document.getElementById('bulk-names');
  const progress = document.getElementById('bulk-progress');
  const bar = document.getElementById('bulk-progress-bar');
  const progressText = document.getElementById('bulk-progress-text');
  const summary = document.getElementById('bulk-summary');
  const summaryText = document.getElementById('bulk-summary-text');
  const failures = document.getElementById('bulk-failures');
  const cancel = document.getElementById('bulk-cancel');
  const confirmButton = document.getElementById('bulk-confirm');
  const retry = document.getElementById('bulk-retry');

  let current = null; // { items, invoker, retryable }
  let busy = false;

  function setBusy(value) {
    busy = value;
    dialog.classList.toggle('is-busy', value);
    for (const button of [cancel, confirmButton, retry]) button.setAttribute('aria-disabled', String(value));
  }

  /** Asks before deleting `items`; `invoker` gets focus back when the dialog closes. */
  function open(items, invoker) {
    if (dialog.open || items.length === 0) return;
    current = { items, invoker, retryable: [] };
    const count = plural(items.length, 'file');
    title.textContent = `Delete ${count}?`;
    desc.textContent = `${items.length === 1 ? 'This file' : `These ${count}`} will be permanently deleted from storage. This cannot be undone.`;
    names.replaceChildren(...(items.length <= NAMES_SHOWN ? items.map((item) => listItem(nameElement(item.file_name || item.object_key))) : []));
    names.hidden = items.length > NAMES_SHOWN;
    progress.hidden = true;
    summary.hidden = true;
    confirmButton.hidden = false;
    confirmButton.textContent = `Delete ${count}`;
    retry.hidden = true;
    cancel.textContent = 'Cancel';
    setBusy(false);
    dialog.showModal();
    cancel.focus();
  }

  function listItem(...content) {
    const li = document.createElement('li');
    li.append(...content);
    return li;
  }

  function showProgress(done, total) {
    bar.max = total;
    bar.value = done;
    progressText.textContent = done >= total ? `Deleted ${total} of ${total}.` : `Deleting ${Math.min(total, done + BATCH)} of ${total}…`;
  }

  /** Sends `items` in batches; resolves with { gone, failed } (failed: [{ item, error, retryable }]). */
  async function run(items) {
    const gone = [];
    const failed = [];
    const byBucket = new Map();
    for (const item of items) {
      if (!byBucket.has(item.bucket)) byBucket.set(item.bucket, []);
      byBucket.get(item.bucket).push(item);
    }
    let done = 0;
    showProgress(0, items.length);
    for (const [bucket, group] of byBucket) {
      for (let start = 0; start < group.length; start += BATCH) {
        const batch = group.slice(start, start + BATCH);
        try {
          const answer = await api.deleteFiles({ bucket, keys: batch.map((item) => item.object_key) });
          const results = new Map((answer.results || []).map((result) => [result.key, result]));
          for (const item of batch) {
            const result = results.get(item.object_key);
            const status = result ? result.status : 'failed';
            if (status === 'deleted' || status === 'not_found') gone.push(item);
            else failed.push({ item, error: (result && (result.error || result.code)) || 'No answer for this file.', retryable: status !== 'invalid' });
          }
        } catch (error) {
          if (error.code === 'session_expired') throw error;
          // The whole batch failed (network, server error): every file in it may be retried.
          for (const item of batch) failed.push({ item, error: error.message, retryable: error.status !== 400 });
        }
        done += batch.length;
        showProgress(done, items.length);
      }
    }
    return { gone, failed };
  }

  async function start(items) {
    if (!current || busy) return;
    setBusy(true);
    confirmButton.hidden = true;
    retry.hidden = true;
    summary.hidden = true;
    names.hidden = true;
    progress.hidden = false;
    desc.textContent = `Deleting ${plural(items.length, 'file')}.`;
    announce(`Deleting ${plural(items.length, 'file')}…`);
    let outcome;
    try {
      outcome = await run(items);
    } catch {
      setBusy(false);
      close();
      return;
    }
    setBusy(false);
    const { gone, failed } = outcome;
    const wasOpen = current;
    if (failed.length === 0) {
      close();
    } else {
      showSummary(items.length, gone.length, failed);
    }
    await onFinished({ gone, failed: failed.map((entry) => entry.item), total: items.length, dialogOpen: Boolean(wasOpen && dialog.open) });
  }

  function showSummary(total, goneCount, failed) {
    current.retryable = failed.filter((entry) => entry.retryable).map((entry) => entry.item);
    progress.hidden = true;
    title.textContent = goneCount ? `Deleted ${goneCount} of ${plural(total, 'file')}, not all` : 'Nothing was deleted';
    desc.textContent = '';
    const text = `${plural(failed.length, 'file')} could not be deleted.`;
    summaryText.textContent = goneCount ? `Deleted ${plural(goneCount, 'file')}. ${text}` : text;
    failures.replaceChildren(...failed.map(({ item, error }) => listItem(nameElement(item.file_name || item.object_key), `: ${error}`)));
    summary.hidden = false;
    retry.hidden = current.retryable.length === 0;
    cancel.textContent = 'Close';
    announce(summaryText.textContent);
    (retry.hidden ? cancel : retry).focus();
  }

  function close() {
    dialog.close();
  }

  confirmButton.addEventListener('click', () => {
    if (current && !busy) start(current.items);
  });
  retry.addEventListener('click', () => {
    if (current && !busy && current.retryable.length) start(current.retryable);
  });
  cancel.addEventListener('click', () => {
    if (!busy) close();
  });
  // Escape: allowed unless requests are in flight (their answers must still be shown).
  dialog.addEventListener('cancel', (event) => {
    if (busy) event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    if (dialog.open || !current) return;
    const { invoker } = current;
    current = null;
    const visible = invoker && invoker.isConnected && invoker.getClientRects().length > 0;
    (visible ? invoker : document.getElementById('files-heading')).focus();
  });

  return { open, isOpen: () => dialog.open };
}
