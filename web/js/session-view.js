// What the page shows of the sign-in session: the sign-in screen (first visit, after signing
// out, or "session expired"), and the signed-in user with "Sign out" in the header.

const TEXT = {
  signedOut: {
    heading: 'Sign in',
    text: 'Sign in to upload files and to see the files you uploaded.',
    button: 'Sign in',
  },
  expired: {
    heading: 'Your session has expired',
    text: 'Sign in again to continue. Your files are safe.',
    button: 'Sign in again',
  },
};

export function createSessionView({ onSignIn, onSignOut }) {
  const screen = document.getElementById('sign-in');
  const heading = document.getElementById('sign-in-heading');
  const message = document.getElementById('sign-in-message');
  const text = document.getElementById('sign-in-text');
  const signInButton = document.getElementById('sign-in-button');
  const dashboard = document.getElementById('main');
  const headerActions = document.getElementById('header-actions');
  const accountName = document.getElementById('account-name');
  const signOutButton = document.getElementById('sign-out-button');
  const skipLink = document.getElementById('skip-link');

  function busy(button, label) {
    button.setAttribute('aria-disabled', 'true');
    button.textContent = label;
  }

  signInButton.addEventListener('click', () => {
    if (signInButton.getAttribute('aria-disabled') === 'true') return;
    busy(signInButton, 'Signing in…');
    onSignIn();
  });
  signOutButton.addEventListener('click', () => {
    if (signOutButton.getAttribute('aria-disabled') === 'true') return;
    busy(signOutButton, 'Signing out…');
    onSignOut();
  });

  /** The dashboard, with the signed-in user's name in the header. */
  function showDashboard(userName) {
    accountName.textContent = userName;
    accountName.title = userName;
    screen.hidden = true;
    dashboard.hidden = false;
    headerActions.hidden = false;
    skipLink.hidden = false;
  }

  /**
   * The sign-in screen. Whatever the dashboard showed (file names, previews, an open dialog) is
   * removed from the page, not just hidden.
   */
  function showSignedOut({ expired = false, error = '', focus = false } = {}) {
    const wording = expired ? TEXT.expired : TEXT.signedOut;
    for (const dialog of document.querySelectorAll('dialog')) dialog.remove();
    dashboard.replaceChildren();
    dashboard.hidden = true;
    headerActions.hidden = true;
    skipLink.hidden = true;
    accountName.textContent = '';
    accountName.removeAttribute('title');
    document.title = expired ? 'Session expired · Upload dashboard' : 'Sign in · Upload dashboard';
    heading.textContent = wording.heading;
    text.textContent = wording.text;
    message.textContent = error;
    signInButton.textContent = wording.button;
    signInButton.removeAttribute('aria-disabled');
    screen.hidden = false;
    if (focus) heading.focus();
  }

  /** Only the part of the page that can show a configuration error. */
  function showConfigurationError() {
    dashboard.hidden = false;
  }

  return { showDashboard, showSignedOut, showConfigurationError };
}
