// The delete confirmation: a modal <dialog> naming the file. Cancel has focus when it opens,
// so Enter or Escape never deletes by accident.

import { quotedName, visibleName } from './names.js';

export function createDeleteDialog({ api, announce, onDeleted, onAlreadyGone }) {
  const dialog = document.getElementById('delete-dialog');
  const name = document.getElementById('delete-name');
  const error = document.getElementById('delete-error');
  const cancel = document.getElementById('delete-cancel');
  const confirmButton = document.getElementById('delete-confirm');

  let current = null; // { item, invoker }
  let busy = false;

  function setBusy(value) {
    busy = value;
    dialog.classList.toggle('is-busy', value);
    for (const button of [cancel, confirmButton]) button.setAttribute('aria-disabled', String(value));
    confirmButton.textContent = value ? 'Deleting…' : error.textContent ? 'Try again' : 'Delete';
  }

  /** Opens the dialog for one file; `invoker` gets focus back if the user cancels. */
  function open(item, invoker) {
    if (dialog.open) return;
    current = { item, invoker };
    name.replaceChildren(quotedName(item.file_name || item.object_key));
    error.textContent = '';
    setBusy(false);
    dialog.showModal();
    cancel.focus();
  }

  function close() {
    dialog.close();
  }

  async function confirmDelete() {
    if (!current || busy) return;
    const { item } = current;
    error.textContent = '';
    setBusy(true);
    try {
      await api.deleteFile({ bucket: item.bucket, key: item.object_key });
      setBusy(false);
      current = null;
      close();
      announce(`Deleted ${visibleName(item.file_name)}.`);
      await onDeleted(item);
    } catch (failure) {
      if (failure.status === 404) {
        setBusy(false);
        current = null;
        close();
        await onAlreadyGone(item);
        return;
      }
      error.replaceChildren(quotedName(item.file_name), ` was not deleted. ${failure.message}`);
      setBusy(false);
      confirmButton.focus();
    }
  }

  cancel.addEventListener('click', () => {
    if (!busy) close();
  });
  confirmButton.addEventListener('click', confirmDelete);
  // Escape: allowed unless a request is in flight (its answer must still be shown).
  dialog.addEventListener('cancel', (event) => {
    if (busy) event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    // The close event arrives as a task of its own: if the dialog was opened again meanwhile (a quick
    // Escape then Enter), the new opening owns `current` and must keep it.
    if (dialog.open) return;
    if (current) {
      const { invoker } = current;
      current = null;
      // The invoker may have been re-rendered meanwhile: fall back to its successor, then the list.
      const target = invoker && (invoker.isConnected ? invoker : invoker.id && document.getElementById(invoker.id));
      (target || document.getElementById('files-heading')).focus();
    }
  });

  return { open, isOpen: () => dialog.open };
}
