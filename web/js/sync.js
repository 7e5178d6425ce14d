// Keeps this tab in step with the server and with other tabs: a BroadcastChannel for
// uploads and deletes made here, throttled refreshes when the tab comes back into view, and
// polling until a freshly uploaded key shows up in the list.

export const CHANNEL_NAME = 'upload-dashboard';
const RESUME_THROTTLE_MS = 5000;
// Backoff between list refreshes while waiting for an upload to be listed (~11 s in all).
const POLL_DELAYS_MS = [300, 600, 1000, 1500, 2000, 2500, 3000];
const POLL_TIMEOUT_MS = 11000;

export function createSync({ store, reload, onRemoteChange, onResume }) {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
  if (channel) channel.addEventListener('message', (event) => onRemoteChange(event.data || {}));

  /** Tells other tabs that something changed; they reload from the server. */
  function publish(message) {
    if (channel) channel.postMessage(message);
  }

  let lastResume = Date.now();
  function resumed() {
    if (document.visibilityState !== 'visible') return;
    const now = Date.now();
    if (now - lastResume < RESUME_THROTTLE_MS) return;
    lastResume = now;
    onResume();
  }
  window.addEventListener('focus', resumed);
  document.addEventListener('visibilitychange', resumed);

  // key -> { resolve, started }
  const waiting = new Map();
  let polling = false;
  let attempt = 0;

  function settle(items) {
    if (waiting.size === 0) return;
    const keys = new Set(items.map((item) => item.object_key));
    for (const [key, entry] of waiting) {
      if (keys.has(key)) {
        waiting.delete(key);
        entry.resolve(true);
      }
    }
  }
  store.subscribe((state) => settle(state.list.items));

  /** Resolves true once `key` is in the list (through ordinary list reloads), false after ~11 s. */
  function waitForKey(key) {
    return new Promise((resolve) => {
      waiting.set(key, { resolve, started: Date.now() });
      attempt = 0;
      settle(store.get().list.items);
      if (!polling) poll();
    });
  }

  async function poll() {
    polling = true;
    while (waiting.size > 0) {
      await sleep(POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)]);
      attempt += 1;
      try {
        await reload();
      } catch {
        // The list shows its own error; keep waiting until the deadline.
      }
      const now = Date.now();
      for (const [key, entry] of waiting) {
        if (now - entry.started > POLL_TIMEOUT_MS) {
          waiting.delete(key);
          entry.resolve(false);
        }
      }
    }
    polling = false;
  }

  /** After signing out: no more messages, refreshes or polling from this tab. */
  function stop() {
    if (channel) channel.close();
    window.removeEventListener('focus', resumed);
    document.removeEventListener('visibilitychange', resumed);
    for (const entry of waiting.values()) entry.resolve(false);
    waiting.clear();
  }

  return { publish, waitForKey, stop };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
