// Reads the API location and the sign-in settings written next to the dashboard by the deployment
// (or by local mode).

export class ConfigError extends Error {}

export async function loadConfig(url = 'config.json') {
  let response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch {
    throw new ConfigError('The dashboard could not load its configuration. Check your connection and reload.');
  }
  if (!response.ok) {
    throw new ConfigError(`The dashboard is not configured (config.json: HTTP ${response.status}).`);
  }
  let config;
  try {
    config = await response.json();
  } catch {
    throw new ConfigError('The dashboard configuration (config.json) is not valid JSON.');
  }
  if (!config || typeof config.apiUrl !== 'string' || config.apiUrl.trim() === '') {
    throw new ConfigError('The dashboard configuration (config.json) has no apiUrl.');
  }
  const auth = config.auth || {};
  const urls = ['authorizeUrl', 'tokenUrl', 'revokeUrl', 'logoutUrl'];
  if (typeof auth.clientId !== 'string' || !auth.clientId || !urls.every((name) => typeof auth[name] === 'string' && auth[name].trim())) {
    throw new ConfigError('The dashboard configuration (config.json) has no sign-in settings (auth).');
  }
  return {
    apiUrl: config.apiUrl.trim().replace(/\/+$/, ''),
    auth: {
      clientId: auth.clientId,
      scopes: Array.isArray(auth.scopes) && auth.scopes.length ? auth.scopes : ['openid', 'email', 'profile'],
      ...Object.fromEntries(urls.map((name) => [name, auth[name].trim()])),
    },
    maxUploadBytes: Number.isFinite(config.maxUploadBytes) ? config.maxUploadBytes : null,
  };
}
