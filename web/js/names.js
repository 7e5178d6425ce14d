// File names as the page shows them. A name comes from whoever uploaded the file, or from anyone who
// could write to the bucket, so it may hold right-to-left text or (in rows recorded before the API
// refused them) invisible formatting characters such as a right-to-left override, which would make
// "invoice" + U+202E + "fdp.exe" look like "invoiceexe.pdf". Each name is therefore shown
// - as a bidirectional isolate (<bdi>), so it cannot reorder the text around it, and
// - with each Unicode format character (\p{Cf}) replaced by U+FFFD, so a tampered name looks tampered.

const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** The name as text, with format characters made visible. */
export function visibleName(name) {
  return String(name ?? '').replace(FORMAT_CHARACTERS, '\uFFFD');
}

/** The name as an isolated element, for any place that shows it. */
export function nameElement(name) {
  const element = document.createElement('bdi');
  element.className = 'file-name';
  element.textContent = visibleName(name);
  return element;
}

/** “name”: the quotes stay in place whatever direction the name's own text runs in. */
export function quotedName(name) {
  const fragment = document.createDocumentFragment();
  fragment.append('“', nameElement(name), '”');
  return fragment;
}
