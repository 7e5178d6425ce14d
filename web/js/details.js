// The details panel: metadata of one file, a preview (images and text), a download link and
// a Delete button. It asks the API for a fresh presigned URL each time a file is opened.

import { describeType, formatBytes, formatExactBytes, formatFullDateTime, isImage, isText } from './format.js';
import { nameElement, quotedName, visibleName } from './names.js';

export const TEXT_PREVIEW_BYTES = 64 * 1024;

export function createDetails({ store, api, announce, onDelete, onClose, onMissing }) {
  const heading = document.getElementById('details-heading');
  const body = document.getElementById('details-body');
  let request = 0;
  let abort = null;

  function cancelPending() {
    request += 1;
    if (abort) abort.abort();
    abort = null;
  }

  /** Shows one file. Uses the list's copy at once, then the server's answer. */
  async function open(item, { focus = true } = {}) {
    cancelPending();
    const token = request;
    const controller = new AbortController();
    abort = controller;
    store.update({ selectedKey: item.object_key });
    render(item, { loading: true });
    if (focus) heading.focus();
    try {
      const answer = await api.getFile(item.object_key, { signal: controller.signal });
      if (token !== request) return;
      render(answer.item, { downloadUrl: answer.download_url, signal: controller.signal });
    } catch (error) {
      if (token !== request || error.name === 'AbortError') return;
      if (error.status === 404) {
        showMessage([quotedName(item.file_name), ' no longer exists. It was deleted.']);
        announce(`${visibleName(item.file_name)} no longer exists.`);
        onMissing(item);
        return;
      }
      render(item, { error });
    }
  }

  /** Clears the panel, optionally with a message (text, or text and name elements) in place of the placeholder. */
  function clear(message) {
    cancelPending();
    if (store.get().selectedKey !== null) store.update({ selectedKey: null });
    showMessage(message);
  }

  function showMessage(message) {
    if (store.get().selectedKey !== null) store.update({ selectedKey: null });
    const text = document.createElement('p');
    text.className = message ? 'details__message' : 'muted';
    text.id = 'details-empty';
    text.replaceChildren(...(message ? [message].flat() : ['Select a file to see its details.']));
    body.replaceChildren(text);
  }

  function render(item, { loading = false, downloadUrl = null, error = null, signal } = {}) {
    const card = document.createElement('article');
    card.className = 'details__card';
    card.dataset.key = item.object_key;
    card.setAttribute('aria-labelledby', 'details-name');

    const name = document.createElement('h3');
    name.className = 'details__name';
    name.id = 'details-name';
    name.append(nameElement(item.file_name || item.object_key));

    const preview = document.createElement('div');
    preview.className = 'preview';
    if (error) {
      preview.append(paragraph(`Couldn’t load the file details. ${error.message}`, 'preview__note preview__note--error'));
      const retry = button('Retry', 'button button--secondary button--small');
      retry.addEventListener('click', () => open(item));
      preview.append(retry);
    } else if (loading) {
      preview.append(paragraph('Loading preview…', 'preview__note'));
    } else if (downloadUrl && isImage(item.content_type)) {
      const image = document.createElement('img');
      image.className = 'preview__image';
      image.alt = `Preview of ${visibleName(item.file_name)}`;
      image.decoding = 'async';
      image.src = downloadUrl;
      image.addEventListener('error', () => image.replaceWith(paragraph('The image could not be shown.', 'preview__note')));
      preview.append(image);
    } else if (downloadUrl && isText(item.content_type)) {
      preview.append(paragraph('Loading preview…', 'preview__note'));
      showText(preview, item, downloadUrl, signal);
    } else {
      preview.append(paragraph('No preview for this type of file.', 'preview__note'));
    }

    const meta = document.createElement('dl');
    meta.className = 'meta';
    addMeta(meta, 'Size', formatBytes(item.size), formatExactBytes(item.size));
    addMeta(meta, 'Type', describeType(item.content_type), item.content_type);
    const time = document.createElement('time');
    time.dateTime = item.uploaded_at || '';
    time.textContent = formatFullDateTime(item.uploaded_at);
    addMeta(meta, 'Uploaded', time);
    const key = document.createElement('code');
    key.textContent = item.object_key;
    addMeta(meta, 'Key', key);
    addMeta(meta, 'Bucket', item.bucket);
    if (item.checksum_crc32c) {
      // Computed by the browser before the upload, checked by storage, recorded by sync.
      const checksum = document.createElement('code');
      checksum.className = 'details__checksum';
      checksum.textContent = item.checksum_crc32c;
      addMeta(meta, 'Checksum (CRC32C)', checksum, 'Full-object CRC32C (base64) verified by storage');
    }

    const actions = document.createElement('div');
    actions.className = 'details__actions';
    if (downloadUrl) {
      const link = document.createElement('a');
      link.className = 'button button--primary';
      link.href = downloadUrl;
      link.download = visibleName(item.file_name);
      link.rel = 'noopener';
      link.textContent = 'Download';
      link.dataset.focusId = 'download';
      actions.append(link);
    }
    const remove = button('Delete', 'button button--danger-outline');
    remove.id = 'details-delete';
    remove.dataset.focusId = 'delete';
    remove.addEventListener('click', () => onDelete(item, remove));
    const close = button('Close', 'button button--quiet');
    close.dataset.focusId = 'close';
    close.addEventListener('click', () => onClose(item));
    actions.append(remove, close);

    card.append(name, preview, meta, actions);
    // Re-rendering (e.g. when the server's answer arrives) must not drop keyboard focus.
    const focused = body.contains(document.activeElement) ? document.activeElement.dataset.focusId : null;
    body.replaceChildren(card);
    const again = focused && card.querySelector(`[data-focus-id="${focused}"]`);
    if (again) again.focus();
  }

  async function showText(preview, item, url, signal) {
    try {
      const text = await readTextPrefix(url, TEXT_PREVIEW_BYTES, signal);
      const truncated = Number(item.size) > TEXT_PREVIEW_BYTES;
      if (signal && signal.aborted) return;
      const pre = document.createElement('pre');
      pre.className = 'preview__text';
      pre.tabIndex = 0;
      pre.setAttribute('aria-label', `Preview of ${visibleName(item.file_name)}`);
      pre.textContent = text;
      const nodes = [pre];
      if (truncated) nodes.push(paragraph(`Showing the first ${formatBytes(TEXT_PREVIEW_BYTES)} of ${formatBytes(item.size)}.`, 'preview__note'));
      preview.replaceChildren(...nodes);
    } catch (error) {
      if (error.name === 'AbortError') return;
      preview.replaceChildren(paragraph('The text preview could not be loaded. You can still download the file.', 'preview__note'));
    }
  }

  function addMeta(list, label, value, title) {
    const term = document.createElement('dt');
    term.textContent = label;
    const detail = document.createElement('dd');
    if (value instanceof Node) detail.append(value);
    else detail.textContent = value || '—';
    if (title) detail.title = title;
    list.append(term, detail);
  }

  return { open, clear, showMessage, heading };
}

/** Reads at most `limit` bytes: asks for a range, and stops reading if the server ignores it. */
async function readTextPrefix(url, limit, signal) {
  let response;
  try {
    response = await fetch(url, { headers: { Range: `bytes=0-${limit - 1}` }, signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    // Storage whose CORS rules do not allow Range: read the start of the whole body instead.
    response = await fetch(url, { signal });
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  let more = true;
  while (received < limit) {
    const { done, value } = await reader.read();
    if (done) {
      more = false;
      break;
    }
    chunks.push(value);
    received += value.length;
  }
  if (more) reader.cancel().catch(() => {});
  const bytes = new Uint8Array(Math.min(received, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function paragraph(text, className) {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

function button(label, className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  return b;
}
