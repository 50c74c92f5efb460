// The call ringing now (from the call stream), so the hotline desk opened from it starts with
// the caller's enterprise chosen.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CallRinging } from '@/api/types';

export const useCallStore = defineStore('calls', () => {
  const ringing = ref<CallRinging | null>(null);
  return { ringing };
});
