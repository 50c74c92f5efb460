// Where the tokens and the chosen dev persona live: wx storage, so they survive a restart.
import type { TokenResponse } from '../types/api';

const TOKENS_KEY = 'qinqing.tokens';
const PERSONA_KEY = 'qinqing.persona';

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds; informative only: the server's 401 is what triggers a renewal. */
  expiresAt: number;
}

export interface StoredPersona {
  /** The sign-in code, `dev:<name>`. */
  code: string;
  name: string;
}

function read<T>(key: string): T | null {
  // wx.getStorageSync returns '' for a missing key.
  const value: unknown = wx.getStorageSync(key);
  return value && typeof value === 'object' ? (value as T) : null;
}

export function getTokens(): StoredTokens | null {
  return read<StoredTokens>(TOKENS_KEY);
}

export function getAccessToken(): string | null {
  return getTokens()?.accessToken ?? null;
}

export function getRefreshToken(): string | null {
  return getTokens()?.refreshToken ?? null;
}

/** True while this device holds a sign-in (even one whose access token has expired). */
export function isSignedIn(): boolean {
  return getTokens() !== null;
}

export function saveTokens(tokens: TokenResponse, now: number = Date.now()): void {
  const stored: StoredTokens = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: now + tokens.expiresIn * 1000,
  };
  wx.setStorageSync(TOKENS_KEY, stored);
}

export function clearTokens(): void {
  wx.removeStorageSync(TOKENS_KEY);
}

export function getPersona(): StoredPersona | null {
  return read<StoredPersona>(PERSONA_KEY);
}

export function setPersona(persona: StoredPersona): void {
  wx.setStorageSync(PERSONA_KEY, persona);
}

export function clearPersona(): void {
  wx.removeStorageSync(PERSONA_KEY);
}
