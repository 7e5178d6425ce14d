// Sign-in through the environment's hosted UI (Cognito's, or local mode's development identity
// provider): OAuth 2.0 authorization code with PKCE (S256) for a public client, token refresh,
// revocation and sign-out. config.json names the client id and each endpoint's URL.
//
// Tokens live in memory and in sessionStorage, so a reload keeps this tab signed in. Not in
// localStorage: that is shared by every tab of the origin and survives closing the browser, so the
// refresh token (valid 12 hours) would outlive the browser session on a shared computer and stay
// readable long after the tab is gone. sessionStorage belongs to one tab and ends with it.

import { ApiError } from './api.js';

const SESSION_KEY = 'upload-dashboard.session';
// The PKCE verifier and state, kept only between leaving for the sign-in page and coming back.
const PENDING_KEY = 'upload-dashboard.sign-in';
// Refresh this long before the access token expires (less for very short lifetimes).
const REFRESH_MARGIN_MS = 60_000;
const REVOKE_TIMEOUT_MS = 4000;

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Sign in again.';
const NETWORK_MESSAGE = 'Can’t reach the sign-in service. Check your connection and try again.';
const SIGN_IN_FAILED = 'Sign-in could not be completed. Please try again.';

export function createAuth({ clientId, scopes, authorizeUrl, tokenUrl, revokeUrl, logoutUrl }) {
  const redirectUri = `${location.origin}/`;
  let session = readJson(SESSION_KEY);
  let refreshing = null;
  const expiredListeners = new Set();

  /**
   * Finishes a sign-in when the hosted UI sent this tab back with a code (or an error), and cleans
   * the URL. Resolves with an error message for the sign-in screen, or null.
   */
  async function completeSignIn() {
    const params = new URLSearchParams(location.search);
    if (!params.has('code') && !params.has('error')) return null;
    const pending = readJson(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    history.replaceState(null, '', location.pathname + location.hash);
    if (!pending || !params.has('code')) return pending ? SIGN_IN_FAILED : null;
    if (params.get('state') !== pending.state) return SIGN_IN_FAILED;
    let response;
    try {
      response = await post(tokenUrl, {
        grant_type: 'authorization_code',
        code: params.get('code'),
        redirect_uri: redirectUri,
        code_verifier: pending.verifier,
      });
    } catch {
      return NETWORK_MESSAGE;
    }
    if (!response.ok) return SIGN_IN_FAILED;
    const tokens = await response.json();
    if (!tokens.access_token || !tokens.refresh_token) return SIGN_IN_FAILED;
    store(tokens, tokens.refresh_token);
    return null;
  }

  /** Leaves for the hosted UI's sign-in page. */
  async function signIn() {
    const verifier = randomString(48);
    const state = randomString(24);
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: scopes.join(' '),
      state,
      code_challenge: base64Url(new Uint8Array(digest)),
      code_challenge_method: 'S256',
    });
    location.assign(`${authorizeUrl}?${query}`);
  }

  /** Revokes this tab's refresh token, forgets the session and ends the hosted UI's session too. */
  async function signOut() {
    await forget();
    const query = new URLSearchParams({ client_id: clientId, logout_uri: redirectUri });
    location.assign(`${logoutUrl}?${query}`);
  }

  /** Another tab signed out: drop this tab's tokens as well (the hosted UI session is already over). */
  function forget() {
    const refreshToken = session && session.refreshToken;
    clear();
    if (!refreshToken) return Promise.resolve();
    return post(revokeUrl, { token: refreshToken }, AbortSignal.timeout(REVOKE_TIMEOUT_MS))
      .catch(() => {
        // Best effort: the token expires by itself, and signing out must not hang on the network.
      });
  }

  /** A current access token, refreshed first when it is about to expire. */
  async function accessToken() {
    if (!session) throw expire();
    const margin = Math.min(REFRESH_MARGIN_MS, session.lifetimeMs / 2);
    if (Date.now() < session.expiresAt - margin) return session.accessToken;
    return refresh();
  }

  /** New tokens from the refresh token; one request at a time however many callers ask. */
  function refresh() {
    if (!refreshing) {
      refreshing = refreshOnce().finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  async function refreshOnce() {
    if (!session) throw expire();
    const { refreshToken } = session;
    let response;
    try {
      response = await post(tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken });
    } catch {
      throw new ApiError(NETWORK_MESSAGE);
    }
    if (response.status >= 500) throw new ApiError(NETWORK_MESSAGE, { status: response.status, code: 'auth_unavailable' });
    const tokens = response.ok ? await response.json().catch(() => null) : null;
    if (!tokens || !tokens.access_token) throw expire();
    // Cognito does not rotate refresh tokens by default; take a new one if it ever sends one.
    store(tokens, tokens.refresh_token || refreshToken);
    return session.accessToken;
  }

  /**
   * The session can't be renewed: forget it, tell the page once, and return the error for the
   * caller to throw.
   */
  function expire() {
    const wasSignedIn = session !== null;
    clear();
    if (wasSignedIn) for (const listener of expiredListeners) listener();
    return new ApiError(SESSION_EXPIRED_MESSAGE, { status: 401, code: 'session_expired' });
  }

  /** Who is signed in, from the ID token (decoded for display only: the API verifies tokens). */
  function user() {
    const claims = (session && decodePayload(session.idToken)) || decodePayload(session && session.accessToken) || {};
    return { name: claims.email || claims['cognito:username'] || claims.username || 'Signed in' };
  }

  function store(tokens, refreshToken) {
    const lifetimeMs = (Number(tokens.expires_in) || 3600) * 1000;
    session = {
      accessToken: tokens.access_token,
      idToken: tokens.id_token || (session && session.idToken) || null,
      refreshToken,
      expiresAt: Date.now() + lifetimeMs,
      lifetimeMs,
    };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  }

  function clear() {
    session = null;
    sessionStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_KEY);
  }

  function post(url, params, signal) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, ...params }),
      cache: 'no-store',
      credentials: 'omit',
      signal,
    });
  }

  return {
    completeSignIn,
    signIn,
    signOut,
    forget,
    accessToken,
    refresh,
    expire,
    user,
    isSignedIn: () => session !== null,
    onExpired: (listener) => expiredListeners.add(listener),
  };
}

function readJson(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key));
  } catch {
    return null;
  }
}

function randomString(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodePayload(token) {
  if (typeof token !== 'string') return null;
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '='));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}
