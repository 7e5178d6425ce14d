// Uploads: file picker and drag-and-drop. A file up to MULTIPART_THRESHOLD gets a presigned PUT
// from POST /uploads (bound to its CRC32C) and is sent with XMLHttpRequest for progress; a bigger
// one goes in parts (multipart.js): parallel, retried, pausable, cancellable and resumable after
// a reload by choosing the same file again. A finished upload is shown in the list only once the
// server lists it (the sync path); no row is ever made up here.

import { putFile } from './api.js';
import { formatBytes, plural } from './format.js';

// Loaded on first use, not with the page: most visits upload nothing (first-load budget).
const multipartModule = () => import('./multipart.js');
const crc32cModule = () => import('./crc32c.js');
const STORED_PREFIX = 'upload-dashboard:multipart:';

/** Files uploaded at the same time (each big one sends several parts at once). */
const CONCURRENCY = 2;

/** Bigger files go in parts: resumable, and not limited by the single PUT's maximum. */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;

const LABELS = {
  queued: 'Waiting…',
  preparing: 'Preparing…',
  uploading: 'Uploading…',
  paused: 'Paused',
  interrupted: 'Interrupted. Choose the same file again to resume.',
  processing: 'Uploaded. Adding it to the list…',
  done: 'Done',
  unlisted: 'Uploaded. It is not listed yet: refresh in a moment.',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** "12.5 MB/s", and "about 3 min left" from a rate in bytes per second. */
function speedAndTimeLeft(rate, remaining) {
  if (!(rate > 0)) return '';
  const seconds = Math.ceil(remaining / rate);
  const left =
    seconds < 60 ? `${seconds} s left` : seconds < 3600 ? `about ${Math.ceil(seconds / 60)} min left` : `about ${Math.round(seconds / 360) / 10} h left`;
  return ` · ${formatBytes(rate)}/s · ${left}`;
}

export function createUploader({ store, api, announce, waitForKey, onUploaded, onShow }) {
  const input = document.getElementById('file-input');
  const dropzone = document.getElementById('dropzone');
  const list = document.getElementById('upload-list');

  const uploads = new Map(); // id -> upload
  let nextId = 1;
  let running = 0;

  async function add(files) {
    const added = Array.from(files || []);
    if (added.length === 0) return;
    const { fingerprint } = await multipartModule();
    for (const file of added) {
      // The same file as an interrupted upload: that upload continues with it.
      const print = fingerprint(file);
      const interrupted = Array.from(uploads.values()).find((u) => u.state === 'interrupted' && u.fingerprint === print);
      if (interrupted) {
        set(interrupted, { file, state: 'queued', error: null });
        continue;
      }
      const upload = { id: nextId++, file, name: file.name, size: file.size, state: 'queued', loaded: 0, error: null, key: null, element: null };
      uploads.set(upload.id, upload);
      render(upload);
    }
    announce(`Uploading ${plural(added.length, 'file')}.`);
    pump();
  }

  /** Uploads a reload interrupted, kept in this browser: shown until resumed or cancelled. */
  async function showInterrupted() {
    if (!Object.keys(localStorage).some((name) => name.startsWith(STORED_PREFIX))) return;
    const { storedUploads } = await multipartModule();
    for (const stored of storedUploads()) {
      const upload = {
        id: nextId++,
        file: null,
        name: stored.name,
        size: stored.size,
        fingerprint: stored.fingerprint,
        stored,
        state: 'interrupted',
        loaded: 0,
        error: null,
        key: stored.key,
        element: null,
      };
      uploads.set(upload.id, upload);
      render(upload);
    }
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
    if (upload.file.size > MULTIPART_THRESHOLD) return runInParts(upload);
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
        checksum: await crc32cModule().then(({ crc32cOfBlob, crc32cBase64 }) => crc32cOfBlob(file).then(crc32cBase64)),
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

  /** A big file, in parts; pause and cancel act on `upload.parts`. */
  async function runInParts(upload) {
    const { file } = upload;
    set(upload, { state: 'preparing', error: null, samples: [] });
    if (!upload.parts) {
      const { createMultipartUpload } = await multipartModule();
      upload.parts = createMultipartUpload({
        api,
        file,
        contentType: file.type || 'application/octet-stream',
        onStarted: ({ key }) => set(upload, { key }),
        onProgress: ({ sent }) => progress(upload, sent),
      });
    }
    let done;
    try {
      set(upload, { state: 'uploading' });
      done = await upload.parts.start();
    } catch (error) {
      if (error.name === 'AbortError') return; // paused or cancelled: the button said which
      if (error.status === 413) return fail(upload, error.message);
      if (error.status === 404 || error.code === 'bad_digest') upload.parts = null; // start over on retry
      return fail(upload, `${error.message} Retry continues where it stopped.`);
    }
    upload.checksum = done.checksum_crc32c;
    set(upload, { state: 'processing', loaded: file.size });
    const listed = await waitForKey(done.key);
    onUploaded(done.key);
    set(upload, { state: listed ? 'done' : 'unlisted' });
    announce(listed ? `${file.name} uploaded.` : `${file.name} uploaded but is not listed yet.`);
  }

  /** Records bytes sent and keeps five seconds of samples for the speed. */
  function progress(upload, sent) {
    const now = performance.now();
    const samples = (upload.samples || []).filter(([time]) => now - time < 5000);
    samples.push([now, sent]);
    const [firstTime, firstSent] = samples[0];
    const rate = now - firstTime > 500 ? ((sent - firstSent) * 1000) / (now - firstTime) : upload.rate;
    if (upload.state === 'uploading') set(upload, { loaded: sent, samples, rate });
    else Object.assign(upload, { loaded: sent, samples });
  }

  function fail(upload, message) {
    set(upload, { state: 'failed', error: message });
    announce(`Upload of ${upload.name} failed. ${message}`);
  }

  function set(upload, patch) {
    Object.assign(upload, patch);
    render(upload);
  }

  function render(upload) {
    list.hidden = uploads.size === 0;
    if (!upload.element) upload.element = buildItem(upload);
    const { element } = upload;
    const file = { name: upload.name, size: upload.size };
    element.dataset.state = upload.state;

    const progress = element.querySelector('progress');
    if (upload.state === 'preparing' || upload.state === 'queued') {
      progress.removeAttribute('value');
    } else {
      progress.max = Math.max(file.size, 1);
      const partial = ['failed', 'uploading', 'paused', 'cancelled', 'interrupted'].includes(upload.state);
      progress.value = partial ? upload.loaded : progress.max;
    }
    progress.hidden = (upload.state === 'failed' && upload.loaded === 0) || upload.state === 'interrupted';

    let text = LABELS[upload.state];
    if (upload.state === 'uploading') {
      const percent = file.size ? Math.floor((upload.loaded / file.size) * 100) : 100;
      text = `Uploading… ${percent}% (${formatBytes(upload.loaded)} of ${formatBytes(file.size)})`;
      if (upload.parts) text += speedAndTimeLeft(upload.rate, file.size - upload.loaded);
    } else if (upload.state === 'paused') {
      const percent = file.size ? Math.floor((upload.loaded / file.size) * 100) : 0;
      text = `Paused at ${percent}% (${formatBytes(upload.loaded)} of ${formatBytes(file.size)})`;
    } else if (upload.state === 'failed') {
      text = upload.error;
    } else if (upload.state === 'done' && upload.checksum) {
      text = `Done · CRC32C ${upload.checksum} verified by storage`;
    }
    element.querySelector('.upload__status').textContent = text;

    const actions = element.querySelector('.upload__actions');
    const inParts = Boolean(upload.parts) || upload.state === 'interrupted';
    const wanted = {
      failed: inParts ? ['retry', 'cancel'] : ['retry', 'dismiss'],
      done: ['show', 'dismiss'],
      unlisted: ['dismiss'],
      uploading: inParts ? ['pause', 'cancel'] : [],
      paused: ['resume', 'cancel'],
      interrupted: ['choose', 'cancel'],
      cancelled: ['dismiss'],
    }[upload.state] || [];
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
    name.textContent = upload.name;
    const size = document.createElement('span');
    size.className = 'upload__size';
    size.textContent = formatBytes(upload.size);
    head.append(name, size);
    const progress = document.createElement('progress');
    progress.className = 'upload__progress';
    progress.setAttribute('aria-label', `Upload progress for ${upload.name}`);
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
    const labels = {
      retry: 'Retry',
      dismiss: 'Dismiss',
      show: 'Show details',
      pause: 'Pause',
      resume: 'Resume',
      cancel: 'Cancel upload',
      choose: 'Choose file to resume',
    };
    button.textContent = labels[action];
    button.setAttribute('aria-label', `${labels[action]}: ${fileName}`);
    return button;
  }

  list.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const upload = uploads.get(Number(button.closest('li').dataset.uploadId));
    if (!upload) return;
    const action = button.dataset.action;
    if (action === 'retry') {
      set(upload, { state: 'queued', error: null, loaded: upload.parts ? upload.loaded : 0 });
      pump();
    } else if (action === 'pause') {
      set(upload, { state: 'paused', rate: undefined });
      upload.parts.pause();
      announce(`${upload.name} paused.`);
    } else if (action === 'resume') {
      set(upload, { state: 'queued' });
      pump();
    } else if (action === 'choose') {
      input.click();
    } else if (action === 'cancel') {
      const wasActive = upload.state === 'uploading';
      set(upload, { state: 'cancelled', error: null });
      const cancelling = upload.parts
        ? upload.parts.cancel()
        : api.abortMultipartUpload({ key: upload.stored.key, uploadId: upload.stored.uploadId }).catch((error) => {
            if (error.status !== 404) throw error;
          });
      if (upload.stored) localStorage.removeItem(STORED_PREFIX + upload.fingerprint);
      cancelling.then(
        () => announce(`Upload of ${upload.name} cancelled.`),
        (error) => fail(upload, `Could not cancel: ${error.message}`),
      );
      if (wasActive) return;
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

  showInterrupted();

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
