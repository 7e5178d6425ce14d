// Multipart upload of one big file (docs/CONTRACT.md, "Multipart uploads"): parts in parallel,
// each signed with its CRC32C so storage refuses a corrupted part; retries with exponential
// backoff on network errors, 5xx and 429; pause, cancel (aborts the upload on the server) and
// resume, also after a page reload: the upload id, key and each sent part's checksum are kept in
// localStorage under the file's identity (name, size, last modified), and choosing the same file
// again continues where it stopped, sending only the parts storage does not have yet.

import { ApiError } from './api.js';
import { crc32cOfBlob, crc32cCombine, crc32cBase64, crc32cFromBase64 } from './crc32c.js';

export const PARALLEL_PARTS = 4;
/** Part URLs asked for in one call: a few parts ahead of the workers. */
const SIGN_AHEAD = 4;
/** A signed URL older than this is asked for again (the server signs them for 15 minutes). */
const URL_REFRESH_MS = 10 * 60 * 1000;
const MAX_ATTEMPTS = 8;
const STORAGE_PREFIX = 'upload-dashboard:multipart:';

/** The identity a resumed upload is matched by: the same file chosen again. */
export function fingerprint(file) {
  return `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
}

/** Uploads kept for resuming: [{ fingerprint, name, size, key, uploadId, ... }]. */
export function storedUploads() {
  const stored = [];
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i);
    if (!name || !name.startsWith(STORAGE_PREFIX)) continue;
    try {
      stored.push({ fingerprint: name.slice(STORAGE_PREFIX.length), ...JSON.parse(localStorage.getItem(name)) });
    } catch {
      localStorage.removeItem(name);
    }
  }
  return stored;
}

export function forgetStored(print) {
  localStorage.removeItem(STORAGE_PREFIX + print);
}

function save(print, record) {
  try {
    localStorage.setItem(STORAGE_PREFIX + print, JSON.stringify(record));
  } catch {
    // Storage full or disabled: the upload still works, it just cannot resume after a reload.
  }
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('stopped', 'AbortError'));
    }, { once: true });
  });

/** Backoff before attempt `attempt + 1`: 0.5 s, 1 s, 2 s, ... up to 15 s, with jitter. */
function backoff(attempt) {
  const base = Math.min(15000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

const retryable = (error) => error.status === 0 || error.status === 429 || error.status >= 500;

/** PUTs one part with XHR (progress); resolves on 2xx, rejects with an ApiError carrying the status. */
function putPart(url, headers, blob, { onProgress, signal }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers || {})) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => onProgress(event.loaded));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new ApiError(`Storage answered HTTP ${xhr.status}`, { status: xhr.status, code: /BadDigest/.test(xhr.responseText) ? 'bad_digest' : `storage_${xhr.status}` }));
    });
    xhr.addEventListener('error', () => reject(new ApiError('Connection to storage lost', { status: 0 })));
    xhr.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')));
    if (signal.aborted) {
      reject(new DOMException('stopped', 'AbortError'));
      return;
    }
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(blob);
  });
}

/**
 * One multipart upload. `start()` runs it to the end (resolves with the completion: bucket, key,
 * size, checksum_crc32c) or rejects: AbortError when paused or cancelled, an ApiError otherwise.
 * `onProgress({ sent, total })` reports bytes storage has accepted plus bytes in flight.
 */
export function createMultipartUpload({ api, file, contentType, onProgress = () => {}, onStarted = () => {} }) {
  const print = fingerprint(file);
  let record = null; // { key, uploadId, partSize, partCount, checksums: {n: base64}, name, size }
  let controller = null; // the current run's; a paused run keeps its own (see start())
  let running = null; // the current run, until it settles
  const inFlight = new Map(); // part number -> bytes sent so far

  function partRange(n) {
    const start = (n - 1) * record.partSize;
    return [start, Math.min(file.size, start + record.partSize)];
  }

  function report() {
    let sent = 0;
    for (const n of Object.keys(record.checksums)) {
      const [start, end] = partRange(Number(n));
      sent += end - start;
    }
    for (const loaded of inFlight.values()) sent += loaded;
    onProgress({ sent: Math.min(sent, file.size), total: file.size });
  }

  async function begin(signal) {
    const stored = storedUploads().find((u) => u.fingerprint === print);
    if (stored) {
      try {
        const listed = await api.listUploadParts({ key: stored.key, uploadId: stored.uploadId, signal });
        // Keep only parts storage has, of the expected size, whose checksum this browser kept.
        const checksums = {};
        for (const part of listed.parts || []) {
          const n = part.part_number;
          const size = Math.min(file.size, n * stored.partSize) - (n - 1) * stored.partSize;
          if (stored.checksums[n] && part.size === size) checksums[n] = stored.checksums[n];
        }
        record = { ...stored, checksums };
        delete record.fingerprint;
        save(print, record);
        onStarted({ resumed: true, key: record.key });
        return;
      } catch (error) {
        if (error.name === 'AbortError') throw error;
        if (error.status !== 404) throw error;
        forgetStored(print); // aborted or expired on the server: start over
      }
    }
    const started = await api.startMultipartUpload({ fileName: file.name, contentType, size: file.size, signal });
    record = {
      key: started.key,
      uploadId: started.upload_id,
      partSize: started.part_size,
      partCount: started.part_count,
      checksums: {},
      name: file.name,
      size: file.size,
      startedAt: new Date().toISOString(),
    };
    save(print, record);
    onStarted({ resumed: false, key: record.key });
  }

  async function sendParts(own) {
    const { signal } = own;
    const todo = [];
    for (let n = 1; n <= record.partCount; n++) if (!record.checksums[n]) todo.push(n);
    const urls = new Map(); // n -> Promise<{ url, headers, checksum, signedAt }>

    async function signFrom(n) {
      const batch = todo.filter((m) => m >= n && !urls.has(m)).slice(0, SIGN_AHEAD);
      if (!batch.includes(n)) batch.unshift(n);
      const pending = (async () => {
        const parts = [];
        for (const m of batch) {
          const [start, end] = partRange(m);
          const crc = await crc32cOfBlob(file.slice(start, end));
          parts.push({ part_number: m, size: end - start, checksum_crc32c: crc32cBase64(crc) });
        }
        const signed = await withRetries(() => api.signUploadParts({ key: record.key, uploadId: record.uploadId, parts, signal }), signal);
        const byNumber = new Map(signed.parts.map((p) => [p.part_number, p]));
        return { byNumber, checksums: new Map(parts.map((p) => [p.part_number, p.checksum_crc32c])), signedAt: Date.now() };
      })();
      for (const m of batch) urls.set(m, pending);
      pending.catch(() => batch.forEach((m) => urls.delete(m)));
      return pending;
    }

    async function urlFor(n, fresh) {
      let pending = urls.get(n);
      if (fresh || !pending) pending = signFrom(n);
      let batch = await pending;
      if (Date.now() - batch.signedAt > URL_REFRESH_MS) {
        urls.delete(n);
        batch = await signFrom(n);
      }
      const part = batch.byNumber.get(n);
      return { url: part.url, headers: part.headers, checksum: batch.checksums.get(n) };
    }

    async function sendOne(n) {
      const [start, end] = partRange(n);
      let fresh = false;
      for (let attempt = 0; ; attempt++) {
        const { url, headers, checksum } = await urlFor(n, fresh);
        fresh = false;
        try {
          inFlight.set(n, 0);
          await putPart(url, headers, file.slice(start, end), {
            signal,
            onProgress: (loaded) => {
              inFlight.set(n, loaded);
              report();
            },
          });
          inFlight.delete(n);
          record.checksums[n] = checksum;
          save(print, record);
          report();
          return;
        } catch (error) {
          inFlight.delete(n);
          report();
          if (error.name === 'AbortError') throw error;
          if (error.status === 404) throw new ApiError('The upload no longer exists on the server. Upload the file again.', { status: 404, code: 'not_found' });
          if (error.code === 'bad_digest') throw new ApiError('The file changed while it was being uploaded. Upload it again.', { status: 400, code: 'bad_digest' });
          if (error.status === 403 && attempt === 0) {
            fresh = true; // an expired or refused link: sign again once
            continue;
          }
          if (!retryable(error) || attempt + 1 >= MAX_ATTEMPTS) throw error;
          await sleep(backoff(attempt), signal);
        }
      }
    }

    let next = 0;
    let failure = null;
    const worker = async () => {
      while (next < todo.length && !failure) {
        const n = todo[next++];
        try {
          await sendOne(n);
        } catch (error) {
          failure = failure || error;
          own.abort(); // stop this run's other workers (never a later run's)
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, todo.length) }, worker));
    if (failure) throw failure;
  }

  async function complete(signal) {
    const parts = [];
    let whole = 0;
    for (let n = 1; n <= record.partCount; n++) {
      const checksum = record.checksums[n];
      parts.push({ part_number: n, checksum_crc32c: checksum });
      const [start, end] = partRange(n);
      whole = n === 1 ? crc32cFromBase64(checksum) : crc32cCombine(whole, crc32cFromBase64(checksum), end - start);
    }
    let answerLost = false; // an attempt ended without S3's verdict (a timeout, a dropped connection)
    let done;
    try {
      done = await withRetries(async () => {
        try {
          return await api.completeMultipartUpload({ key: record.key, uploadId: record.uploadId, parts, checksum: crc32cBase64(whole), signal });
        } catch (error) {
          if (retryable(error)) answerLost = true;
          throw error;
        }
      }, signal);
    } catch (error) {
      // After an attempt whose answer was lost, a retry that finds the upload gone (404) or its
      // parts gone (400, the completion still under way) means that attempt completed it, or is
      // completing it. The caller waits for the file to be listed, and says so if it is not.
      if (!(answerLost && (error.status === 404 || error.code === 'checksum_mismatch'))) throw error;
      done = { bucket: null, key: record.key, size: file.size, checksum_crc32c: null };
    }
    forgetStored(print);
    return done;
  }

  return {
    get key() {
      return record ? record.key : null;
    },

    /**
     * Runs (or resumes) the upload to its end. A resume first waits for the paused run's workers
     * to stop, so no part is sent twice at once and a stopping run cannot touch the new one.
     */
    async start() {
      if (running) {
        // A pause that came after every part was stored did not stop the completion.
        const previous = await running.then((done) => ({ done }), () => null);
        if (previous) return previous.done;
      }
      const own = new AbortController();
      controller = own;
      const run = (async () => {
        if (!record) await withRetries(() => begin(own.signal), own.signal);
        report();
        await sendParts(own);
        // Every part is stored: completing is not interrupted by a pause (a completion whose
        // answer was lost would leave nothing to resume).
        return complete(new AbortController().signal);
      })();
      running = run;
      try {
        return await run;
      } finally {
        if (running === run) running = null;
      }
    },

    /** Stops sending; parts already accepted stay, `start()` continues. */
    pause() {
      if (controller) controller.abort();
    },

    /** Stops and aborts the upload on the server; nothing of it remains. */
    async cancel() {
      if (controller) controller.abort();
      forgetStored(print);
      if (record) {
        try {
          await api.abortMultipartUpload({ key: record.key, uploadId: record.uploadId });
        } catch (error) {
          if (error.status !== 404) throw error;
        }
      }
    },
  };
}

/** Retries an API call on network errors, 5xx and 429 with exponential backoff. */
async function withRetries(call, signal) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (error.name === 'AbortError' || !retryable(error) || attempt + 1 >= MAX_ATTEMPTS) throw error;
      await sleep(backoff(attempt), signal);
    }
  }
}
