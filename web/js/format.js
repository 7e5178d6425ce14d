// Human-readable values for sizes, dates and content types.

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];
const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined);
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });

/** 1536 -> "1.5 KB" (binary multiples, the way file managers show them). */
export function formatBytes(bytes) {
  const value = Number(bytes);
  if (!Number.isFinite(value) || value < 0) return '—';
  if (value === 1) return '1 byte';
  let unit = 0;
  let scaled = value;
  while (scaled >= 1024 && unit < UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${integer.format(value)} bytes` : `${number.format(scaled)} ${UNITS[unit]}`;
}

export function formatExactBytes(bytes) {
  const value = Number(bytes);
  return Number.isFinite(value) ? `${integer.format(value)} bytes` : '—';
}

function toDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local date and time, short form. */
export function formatDateTime(iso) {
  const date = toDate(iso);
  return date ? dateTime.format(date) : '—';
}

export function formatFullDateTime(iso) {
  const date = toDate(iso);
  return date ? fullDateTime.format(date) : '—';
}

/** "image/png" -> "PNG image"; unknown types are shown as they are. */
export function describeType(contentType) {
  if (!contentType) return 'Unknown';
  const [type, rawSubtype = ''] = contentType.split(';')[0].trim().toLowerCase().split('/');
  const subtype = rawSubtype.replace(/^(x-|vnd\.)/, '');
  const known = {
    'application/pdf': 'PDF document',
    'application/json': 'JSON',
    'application/zip': 'ZIP archive',
    'application/octet-stream': 'Binary',
    'text/plain': 'Plain text',
    'text/csv': 'CSV',
    'text/html': 'HTML',
    'text/markdown': 'Markdown',
  };
  const exact = known[`${type}/${rawSubtype}`];
  if (exact) return exact;
  const short = subtype.split('+')[0].toUpperCase();
  if (type === 'image') return `${short} image`;
  if (type === 'video') return `${short} video`;
  if (type === 'audio') return `${short} audio`;
  if (type === 'text') return `${short} text`;
  return contentType;
}

export function isImage(contentType) {
  return /^image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon)\b/i.test(contentType || '');
}

export function isText(contentType) {
  return /^(text\/|application\/(json|xml|x-ndjson|javascript|x-yaml|yaml)\b)/i.test(contentType || '');
}

export function plural(count, one, many = `${one}s`) {
  return `${integer.format(count)} ${count === 1 ? one : many}`;
}
