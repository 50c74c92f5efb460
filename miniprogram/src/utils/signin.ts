// How the app gets and keeps a session: sign-in on launch, silent renewal on 401, sign-out.
// In development mode the sign-in code is the remembered demo persona instead of `wx.login`.
import { config } from '../config';
import { logout, refreshSession, signInWechat } from '../services/auth';
import type { User } from '../types/api';
import { ApiError } from './api-error';
import { setSessionRenewer } from './request';
import * as session from './session';

/** Code thrown when development mode has no persona to sign in with yet. */
export const PERSONA_REQUIRED = 'persona_required';

let launchSignIn: Promise<User | null> | null = null;
let launchError: ApiError | null = null;

/** True when the developer still has to pick a persona before anything can be loaded. */
export function needsPersona(): boolean {
  return config.devMode && session.getPersona() === null;
}

function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success(res) {
        if (res.code) resolve(res.code);
        else reject(new ApiError('wechat_login_failed', '微信登录失败，请稍后重试', 0));
      },
      fail() {
        reject(new ApiError('wechat_login_failed', '微信登录失败，请稍后重试', 0));
      },
    });
  });
}

async function loginCode(): Promise<string> {
  if (!config.devMode) return wxLoginCode();
  const persona = session.getPersona();
  if (!persona) throw new ApiError(PERSONA_REQUIRED, '请先选择演示身份', 0);
  return persona.code;
}

async function signInWithCode(code: string): Promise<User> {
  const tokens = await signInWechat(code);
  session.saveTokens(tokens);
  return tokens.user;
}

/** Signs in from scratch (`wx.login`, or the remembered persona) and stores the tokens. */
export async function signIn(): Promise<User> {
  return signInWithCode(await loginCode());
}

/**
 * Development mode: signs in as the persona and, once that worked, remembers it for later
 * launches. The sign-in it replaces is revoked on the server.
 */
export async function signInAsPersona(persona: session.StoredPersona): Promise<User> {
  const previous = session.getRefreshToken();
  const user = await signInWithCode(persona.code);
  session.setPersona(persona);
  launchSignIn = Promise.resolve(user);
  launchError = null;
  if (previous) await logout(previous).catch(() => undefined);
  return user;
}

/**
 * Called from `App.onLaunch`. Resolves to the person, or to null when a persona must be picked
 * first or the sign-in failed (pages then show the error and offer to retry).
 */
export function signInOnLaunch(): Promise<User | null> {
  launchError = null;
  launchSignIn = needsPersona()
    ? Promise.resolve(null)
    : signIn().catch((err: unknown) => {
        launchError = err instanceof ApiError ? err : new ApiError('sign_in_failed', '登录失败，请稍后重试', 0);
        return null;
      });
  return launchSignIn;
}

/** Why the last launch sign-in failed, if it did. */
export function signInError(): ApiError | null {
  return launchError;
}

/** What pages wait for before their first request. */
export function whenSignedIn(): Promise<User | null> {
  return launchSignIn ?? signInOnLaunch();
}

/**
 * Renewal after a 401: the refresh token first; when it is spent, expired or revoked, a fresh
 * sign-in. Throws when both fail.
 */
export async function renewSession(): Promise<void> {
  const refreshToken = session.getRefreshToken();
  if (refreshToken) {
    try {
      session.saveTokens(await refreshSession(refreshToken));
      return;
    } catch {
      // Fall through to a fresh sign-in.
    }
  }
  await signIn();
}

/** Wires `renewSession` into the request module; done once at launch. */
export function installSessionRenewal(): void {
  setSessionRenewer(renewSession);
}

/**
 * Revokes the sign-in on the server and forgets it here (and, in development mode, the persona,
 * so the picker shows again). Local state is cleared even when the server cannot be reached.
 */
/**
 * After the account was deleted on the server: forget the sign-in and the persona here (the
 * server already ended every session), with nothing to revoke.
 */
export function forgetSignIn(): void {
  session.clearTokens();
  session.clearPersona();
  launchSignIn = Promise.resolve(null);
  launchError = null;
}

export async function signOut(): Promise<void> {
  const refreshToken = session.getRefreshToken();
  session.clearTokens();
  if (config.devMode) session.clearPersona();
  launchSignIn = Promise.resolve(null);
  if (refreshToken) {
    try {
      await logout(refreshToken);
    } catch {
      // The token expires on its own; the person asked to leave and has left this device.
    }
  }
}
