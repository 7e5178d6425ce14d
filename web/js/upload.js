// Uploads: file picker and drag-and-drop. Each file gets a presigned PUT from POST /uploads and
// is sent with XMLHttpRequest for progress. A finished upload is shown in the list only once
// the server lists it (the sync path); no row is ever made up here.

import { putFile } from './api.js';
import { formatBytes, plural } from './format.js';

const CONCURRENCY = 2;

const LABELS = {
  queued: 'Waiting…',
  preparing: 'Preparing…',
  uploading: 'Uploading…',
  processing: 'Uploaded. Adding it to the list…',
  done: 'Done',
  unlisted: 'Uploaded. It is not listed yet: refresh in a moment.',
  failed: 'Failed',
};

export function createUploader({ store, api, announce, waitForKey, onUploaded, onShow }) {
  const input = document.getElementById('file-input');
  const dropzone = document.getElementById('dropzone');
  const list = document.getElementById('upload-list');

  const uploads = new Map(); // id -> upload
  let nextId = 1;
  let running = 0;

  function add(files) {
    const added = Array.from(files || []);
    if (added.length === 0) return;
    for (const file of added) {
      const upload = { id: nextId++, file, state: 'queued', loaded: 0, error: null, key: null, element: null };
      uploads.set(upload.id, upload);
      render(upload);
    }
    announce(`Uploading ${plural(added.length, 'file')}.`);
    pump();
  }

  function pump() {
    for (const upload of uploads.values()) {
      if (running >= CONCURRENCY) return;
      if (upload.state === 'queued') {
        running += 1;
        run(upload).finally(() => {
          running -= 1;
          pump();
        });
      }
    }
  }

  async function run(upload) {
    const { file } = upload;
    const max = store.get().maxUploadBytes;
    if (max !== null && file.size > max) {
      return fail(upload, `Too large: ${formatBytes(file.size)}. The limit is ${formatBytes(max)}.`);
    }
    set(upload, { state: 'preparing', error: null, loaded: 0 });
    let target;
    try {
      target = await api.createUpload({
        fileName: file.name,
        contentType: file.type || 'application/octet-stream',
        size: file.size,
      });
    } catch (error) {
      if (error.status === 413) {
        const limit = error.body && Number.isFinite(error.body.max_bytes) ? error.body.max_bytes : max;
        if (Number.isFinite(limit)) store.update({ maxUploadBytes: limit });
        return fail(upload, limit ? `Too large: ${formatBytes(file.size)}. The limit is ${formatBytes(limit)}.` : `Too large. ${error.message}`);
      }
      return fail(upload, error.message);
    }
    if (Number.isFinite(target.max_bytes)) store.update({ maxUploadBytes: target.max_bytes });

    set(upload, { state: 'uploading', key: target.key });
    try {
      await putFile(target, file, {
        onProgress: (loaded) => set(upload, { loaded }),
      });
    } catch (error) {
      return fail(upload, error.message);
    }

    set(upload, { state: 'processing', loaded: file.size });
    const listed = await waitForKey(target.key);
    // Other tabs reload when told; tell them once the server lists the file, so they see it too.
    onUploaded(target.key);
    set(upload, { state: listed ? 'done' : 'unlisted' });
    announce(listed ? `${file.name} uploaded.` : `${file.name} uploaded but is not listed yet.`);
  }

  function fail(upload, message) {
    set(upload, { state: 'failed', error: message });
    announce(`Upload of ${upload.file.name} failed. ${message}`);
  }

  function set(upload, patch) {
    Object.assign(upload, patch);
    render(upload);
  }

  function render(upload) {
    list.hidden = uploads.size === 0;
    if (!upload.element) upload.element = buildItem(upload);
    const { element, file } = upload;
    element.dataset.state = upload.state;

    const progress = element.querySelector('progress');
    if (upload.state === 'preparing' || upload.state === 'queued') {
      progress.removeAttribute('value');
    } else {
      progress.max = Math.max(file.size, 1);
      progress.value = upload.state === 'failed' ? upload.loaded : upload.state === 'uploading' ? upload.loaded : progress.max;
    }
    progress.hidden = upload.state === 'failed' && upload.loaded === 0;

    let text = LABELS[upload.state];
    if (upload.state === 'uploading') {
      const percent = file.size ? Math.floor((upload.loaded / file.size) * 100) : 100;
      text = `Uploading… ${percent}% (${formatBytes(upload.loaded)} of ${formatBytes(file.size)})`;
    } else if (upload.state === 'failed') {
      text = upload.error;
    }
    element.querySelector('.upload__status').textContent = text;

    const actions = element.querySelector('.upload__actions');
    const wanted = upload.state === 'failed' ? ['retry', 'dismiss'] : upload.state === 'done' ? ['show', 'dismiss'] : upload.state === 'unlisted' ? ['dismiss'] : [];
    const have = Array.from(actions.children, (button) => button.dataset.action);
    if (wanted.join() !== have.join()) {
      const hadFocus = actions.contains(document.activeElement);
      actions.replaceChildren(...wanted.map((action) => actionButton(action, file.name)));
      if (hadFocus && actions.firstElementChild) actions.firstElementChild.focus();
    }
    if (!element.isConnected) list.prepend(element);
  }

  function buildItem(upload) {
    const item = document.createElement('li');
    item.className = 'upload-item';
    item.dataset.uploadId = String(upload.id);
    const head = document.createElement('div');
    head.className = 'upload__head';
    const name = document.createElement('span');
    name.className = 'upload__name';
    name.textContent = upload.file.name;
    const size = document.createElement('span');
    size.className = 'upload__size';
    size.textContent = formatBytes(upload.file.size);
    head.append(name, size);
    const progress = document.createElement('progress');
    progress.className = 'upload__progress';
    progress.setAttribute('aria-label', `Upload progress for ${upload.file.name}`);
    const status = document.createElement('p');
    status.className = 'upload__status';
    const actions = document.createElement('div');
    actions.className = 'upload__actions';
    item.append(head, progress, status, actions);
    return item;
  }

  function actionButton(action, fileName) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.action = action;
    button.className = 'button button--quiet button--small';
    const labels = { retry: 'Retry', dismiss: 'Dismiss', show: 'Show details' };
    button.textContent = labels[action];
    button.setAttribute('aria-label', `${labels[action]}: ${fileName}`);
    return button;
  }

  list.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const upload = uploads.get(Number(button.closest('li').dataset.uploadId));
    if (!upload) return;
    if (button.dataset.action === 'retry') {
      set(upload, { state: 'queued', error: null, loaded: 0 });
      pump();
    } else if (button.dataset.action === 'dismiss') {
      const next = upload.element.nextElementSibling || upload.element.previousElementSibling;
      upload.element.remove();
      uploads.delete(upload.id);
      list.hidden = uploads.size === 0;
      const target = next && next.querySelector('button');
      (target || input).focus();
    } else if (button.dataset.action === 'show') {
      onShow(upload.key);
    }
  });

  input.addEventListener('change', () => {
    add(input.files);
    input.value = '';
  });

  // The whole window accepts drops, so a missed drop never navigates away to the file.
  let dragDepth = 0;
  const hasFiles = (event) => Array.from(event.dataTransfer ? event.dataTransfer.types : []).includes('Files');
  window.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth += 1;
    dropzone.classList.add('is-dragging');
  });
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', (event) => {
    if (!hasFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropzone.classList.remove('is-dragging');
  });
  window.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    dropzone.classList.remove('is-dragging');
    add(event.dataTransfer.files);
  });

  return { add };
}
