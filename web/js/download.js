// "Download" in a row: asks the API for a fresh presigned URL (it expires within minutes, so it is
// never kept) and follows it through a temporary link. The URL's Content-Disposition: attachment
// names the file, so the browser saves it instead of leaving the dashboard.

import { visibleName } from './names.js';

export function createDownloader({ api, announce, onMissing }) {
  const pending = new Set();

  async function download(item, button) {
    const key = item.object_key;
    if (pending.has(key)) return;
    pending.add(key);
    if (button) button.setAttribute('aria-disabled', 'true');
    const name = visibleName(item.file_name || key);
    try {
      const answer = await api.getFile(key);
      const link = document.createElement('a');
      link.href = answer.download_url;
      link.download = visibleName((answer.item && answer.item.file_name) || item.file_name || '');
      link.rel = 'noopener';
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      announce(`Downloading ${name}.`);
    } catch (error) {
      if (error.status === 404) {
        announce(`That file no longer exists: ${name}.`);
        onMissing(item, button);
      } else {
        announce(`Couldn’t download ${name}. ${error.message}`);
      }
    } finally {
      pending.delete(key);
      if (button) button.removeAttribute('aria-disabled');
    }
  }

  return { download };
}
