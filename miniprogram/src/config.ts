// Settings of the mini-program. The server and development mode follow the build WeChat runs
// (`wx.getAccountInfoSync().miniProgram.envVersion`): `develop` (DevTools, 开发版) talks to the local
// server with the demo personas; `trial` (体验版) and `release` (正式版) talk to the HTTPS server
// below and never offer development features. A test holds trial and release to that.

/** The build WeChat runs: 开发版, 体验版, 正式版. */
export type EnvVersion = 'develop' | 'trial' | 'release';

/**
 * The production API: its domain is the request, upload and download domain registered in the
 * WeChat admin console (see 「Release checklist」 in README.md). Edit it here, in this one place.
 * The administration has not named its domain yet: `.invalid` (RFC 2606) can never resolve, so a
 * trial build made before it is set fails loudly instead of talking to someone else's server.
 */
export const RELEASE_API_BASE_URL = 'https://qinqing-api.invalid/api/v1';

/** The local server that `cargo run -p api` starts (development mode). */
export const DEVELOP_API_BASE_URL = 'http://127.0.0.1:8080/api/v1';

export interface AppConfig {
  /** The build this configuration is for. */
  envVersion: EnvVersion;
  /** Prefix of every API path. */
  apiBaseUrl: string;
  /** Time after which a request fails with `network_error`. */
  requestTimeoutMs: number;
  /** Time after which an upload or a download fails with `network_error`: files take longer. */
  fileTimeoutMs: number;
  /**
   * A weak network: how often a read (GET) lost on the network or refused by a gateway (502, 503,
   * 504) is tried again, after `retryBaseDelayMs`, then twice that, and so on.
   */
  readRetries: number;
  retryBaseDelayMs: number;
  /**
   * A 429 or 503 with `Retry-After` up to this many seconds is waited out and tried once more
   * (writes too, with the same idempotency key: the server did nothing); a longer one goes to the
   * person, who is told when to try again.
   */
  maxRetryAfterS: number;
  /**
   * Subscribe-message template to ask for before a demand is submitted. Null (the default) takes
   * the one the server names (`demandTemplateId` of `POST /me/subscriptions`); when neither has
   * one, nothing is asked.
   */
  demandTemplateId: string | null;
  /**
   * Subscribe-message template to ask for after 「我已知晓」 on a policy (to be told of new
   * policies). Null (the default) takes the server's `policyTemplateId`, as for demands.
   */
  policyTemplateId: string | null;
  /**
   * Development mode: sign in as a demo persona (`dev:<name>`) picked from `GET /dev/personas`
   * instead of with `wx.login`. Only ever true for `develop`; the server refuses `dev:` codes
   * anyway unless it runs in development mode itself.
   */
  devMode: boolean;
}

/** The configuration of a build: pure, so a test can hold every build to the rules. */
export function configFor(envVersion: EnvVersion): AppConfig {
  const develop = envVersion === 'develop';
  return {
    envVersion,
    apiBaseUrl: develop ? DEVELOP_API_BASE_URL : RELEASE_API_BASE_URL,
    requestTimeoutMs: 10_000,
    fileTimeoutMs: 60_000,
    readRetries: 2,
    retryBaseDelayMs: 500,
    maxRetryAfterS: 5,
    demandTemplateId: null,
    policyTemplateId: null,
    devMode: develop,
  };
}

/**
 * The build WeChat runs. Anything unreadable counts as `release`, so a build can never fall into
 * development mode by accident; outside WeChat (the node tests) there is no `wx` at all, which is
 * development.
 */
export function currentEnvVersion(): EnvVersion {
  if (typeof wx === 'undefined') return 'develop';
  try {
    const env = wx.getAccountInfoSync().miniProgram.envVersion;
    return env === 'develop' || env === 'trial' ? env : 'release';
  } catch {
    return 'release';
  }
}

// A mutable object rather than constants so tests can flip a setting for one case.
export const config: AppConfig = configFor(currentEnvVersion());

/** Puts the configuration of `envVersion` in force (at launch; tests, for one case). */
export function applyEnvironment(envVersion: EnvVersion = currentEnvVersion()): AppConfig {
  return Object.assign(config, configFor(envVersion));
}
