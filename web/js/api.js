// HTTP client for the dashboard API (docs/CONTRACT.md). Every failure becomes an ApiError
// with a message a person can act on. Every API call carries the signed-in user's access token;
// the presigned S3 requests below never do (their signature is their authorization).

export class ApiError extends Error {
  constructor(message, { status = 0, code = 'network_error', requestId = null, body = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.body = body;
  }

  get isNetworkError() {
    return this.code === 'network_error';
  }
}

const NETWORK_MESSAGE = 'Can’t reach the server. Check your connection and try again.';

function messageFor(status, body) {
  if (body && typeof body.error === 'string' && body.error && status < 500) return body.error;
  if (status >= 500) {
    const id = body && body.request_id ? ` (request ${body.request_id})` : '';
    return `The server had a problem${id}. Try again in a moment.`;
  }
  if (status === 404) return 'Not found.';
  if (status === 403) return 'Access was refused.';
  return `The request failed (HTTP ${status}).`;
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * @param baseUrl the API's base URL
 * @param auth `accessToken()` (a current token) and `refresh()` (a new one); both reject with an
 *     ApiError whose code is `session_expired` when the session can't be renewed
 */
export function createApi(baseUrl, auth) {
  async function send(method, url, { body, signal }, token) {
    const init = {
      method,
      signal,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
      cache: 'no-store',
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      return await fetch(url, init);
    } catch (error) {
      if (error && error.name === 'AbortError') throw error;
      throw new ApiError(NETWORK_MESSAGE);
    }
  }

  async function request(method, path, { query, body, signal } = {}) {
    const url = new URL(baseUrl + path);
    for (const [name, value] of Object.entries(query || {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
    }
    let response = await send(method, url, { body, signal }, await auth.accessToken());
    if (response.status === 401) {
      // The token expired early or was refused: renew it once and try again.
      response = await send(method, url, { body, signal }, await auth.refresh());
      if (response.status === 401) throw auth.expire();
    }
    const json = await readJson(response);
    if (!response.ok) {
      throw new ApiError(messageFor(response.status, json), {
        status: response.status,
        code: (json && json.code) || `http_${response.status}`,
        requestId: json && json.request_id,
        body: json,
      });
    }
    return json;
  }

  return {
    /**
     * GET /metadata: one page. `q` searches file names (case-insensitive substring); `sort` is
     * uploaded, name or size and `order` asc or desc (the server's default: newest first). With a
     * search a page may hold fewer than `limit` items while `next_cursor` is still set.
     */
    listFiles({ limit, cursor, q, sort, order, signal } = {}) {
      return request('GET', '/metadata', { query: { q, sort, order, limit, cursor }, signal });
    },

    /** GET /metadata/file: the item plus a short-lived download URL. */
    getFile(key, { signal } = {}) {
      return request('GET', '/metadata/file', { query: { key }, signal });
    },

    /** DELETE /metadata: removes the object and its metadata row. */
    deleteFile({ bucket, key }) {
      return request('DELETE', '/metadata', { body: { bucket, key } });
    },

    /**
     * DELETE /metadata with `keys`: up to 1,000 files of one bucket. Resolves with one result per
     * key, in request order (status deleted, not_found, invalid or failed).
     */
    deleteFiles({ bucket, keys }) {
      return request('DELETE', '/metadata', { body: { bucket, keys } });
    },

    /** POST /uploads: a presigned PUT for one file (bound to its CRC32C when given). */
    createUpload({ fileName, contentType, size, checksum }) {
      const body = { file_name: fileName, content_type: contentType, size };
      if (checksum) body.checksum_crc32c = checksum;
      return request('POST', '/uploads', { body });
    },

    /** POST /uploads/multipart: starts a multipart upload (key, upload id, part size and count). */
    startMultipartUpload({ fileName, contentType, size, signal }) {
      return request('POST', '/uploads/multipart', {
        body: { file_name: fileName, content_type: contentType, size },
        signal,
      });
    },

    /** POST /uploads/multipart/parts: presigned PUTs for parts, each bound to its length and CRC32C. */
    signUploadParts({ key, uploadId, parts, signal }) {
      return request('POST', '/uploads/multipart/parts', { body: { key, upload_id: uploadId, parts }, signal });
    },

    /** GET /uploads/multipart/parts: the parts storage holds (to resume). */
    listUploadParts({ key, uploadId, signal }) {
      return request('GET', '/uploads/multipart/parts', { query: { key, upload_id: uploadId }, signal });
    },

    /** POST /uploads/multipart/complete: the parts' and the whole file's CRC32C. */
    completeMultipartUpload({ key, uploadId, parts, checksum, signal }) {
      return request('POST', '/uploads/multipart/complete', {
        body: { key, upload_id: uploadId, parts, checksum_crc32c: checksum },
        signal,
      });
    },

    /** DELETE /uploads/multipart: aborts the upload; storage drops its parts. */
    abortMultipartUpload({ key, uploadId }) {
      return request('DELETE', '/uploads/multipart', { body: { key, upload_id: uploadId } });
    },
  };
}

// Headers the browser sets itself and refuses to let scripts set.
const BROWSER_CONTROLLED = new Set(['content-length', 'host', 'connection']);

/**
 * PUTs a file to a presigned URL with exactly the headers the API returned. XMLHttpRequest
 * rather than fetch because only XHR reports upload progress.
 */
export function putFile(upload, file, { onProgress, signal } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method || 'PUT', upload.upload_url);
    for (const [name, value] of Object.entries(upload.headers || {})) {
      if (!BROWSER_CONTROLLED.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', (event) => {
      if (onProgress && event.lengthComputable) onProgress(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        if (onProgress) onProgress(file.size, file.size);
        resolve();
        return;
      }
      let message;
      if (xhr.status === 403) message = 'The upload link expired or was refused. Try again.';
      // Each upload link creates one file only (it is signed with If-None-Match: *).
      else if (xhr.status === 412) message = 'This upload link was already used. Upload the file again.';
      else if (xhr.status === 413 || /EntityTooLarge/.test(xhr.responseText)) message = 'The file is too large for storage.';
      else if (xhr.status === 400) message = 'Storage rejected the file (the upload did not match the signed request).';
      else message = `Storage answered HTTP ${xhr.status}. Try again.`;
      reject(new ApiError(message, { status: xhr.status, code: `storage_${xhr.status}` }));
    });
    xhr.addEventListener('error', () => reject(new ApiError('The upload was interrupted: can’t reach storage. Check your connection and try again.')));
    xhr.addEventListener('timeout', () => reject(new ApiError('The upload timed out. Try again.')));
    xhr.addEventListener('abort', () => reject(new DOMException('Upload cancelled', 'AbortError')));
    if (signal) signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
