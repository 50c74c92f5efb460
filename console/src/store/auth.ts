// The session: the access token in memory only (never localStorage); the refresh token is an
// HttpOnly cookie the console never sees. A page load restores the session with the cookie.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as authApi from '@/api/auth';
import { ApiError, singleFlight } from '@/api/http';
import type { ConsoleSession } from '@/api/types';
import { rolesOf } from '@/utils/permissions';

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(null);
  const user = ref<ConsoleSession['user'] | null>(null);
  const restored = ref(false);
  let timer: ReturnType<typeof setTimeout> | null = null;

  const signedIn = computed(() => token.value !== null && user.value !== null);
  const roles = computed(() => rolesOf(user.value));
  const displayName = computed(() => user.value?.nickname || `用户 ${user.value?.id ?? ''}`);

  function setSession(s: ConsoleSession) {
    token.value = s.accessToken;
    user.value = s.user;
    if (timer) clearTimeout(timer);
    // Renew a minute before the token runs out, so a quiet console does not meet a 401.
    const ms = Math.max(10, s.expiresIn - 60) * 1000;
    timer = setTimeout(() => void refresh().catch(() => {}), ms);
  }

  function clear() {
    token.value = null;
    user.value = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** A new access token from the refresh cookie, or null when the session is over. */
  const refresh = singleFlight(async (): Promise<string | null> => {
    try {
      setSession(await authApi.refreshSession());
      return token.value;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
        clear();
        return null;
      }
      throw e;
    }
  });

  /** Once per page load: is there a session to restore? */
  async function restore(): Promise<boolean> {
    if (restored.value) return signedIn.value;
    try {
      await refresh();
    } catch {
      // The server could not be reached: the sign-in page says so when it loads.
    } finally {
      restored.value = true;
    }
    return signedIn.value;
  }

  async function signOut() {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  return { token, user, restored, signedIn, roles, displayName, setSession, clear, refresh, restore, signOut };
});
