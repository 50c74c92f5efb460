// Build-time settings of the mini-program. Edit here for another server or for a release build.

export interface AppConfig {
  /** Prefix of every API path; the local server by default. */
  apiBaseUrl: string;
  /** Time after which a request fails with `network_error`. */
  requestTimeoutMs: number;
  /** Time after which an upload or a download fails with `network_error`: files take longer. */
  fileTimeoutMs: number;
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
   * instead of with `wx.login`. Must be false in a release build; the server refuses `dev:`
   * codes anyway unless it runs in development mode itself.
   */
  devMode: boolean;
}

// A mutable object rather than constants so tests can flip a setting for one case.
export const config: AppConfig = {
  apiBaseUrl: 'http://127.0.0.1:8080/api/v1',
  requestTimeoutMs: 10_000,
  fileTimeoutMs: 60_000,
  demandTemplateId: null,
  policyTemplateId: null,
  devMode: true,
};
