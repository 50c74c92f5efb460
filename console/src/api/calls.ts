// The hotline's call log and its live stream.
import { openStream, send } from './client';
import type { Call, CallRinging } from './pending';
import { readEvents } from '@/utils/sse';

export async function listCalls(status?: string): Promise<{ items: Call[]; nextCursor?: string | null }> {
  return (await send<{ items: Call[]; nextCursor?: string | null }>('GET', '/calls', { query: { status, limit: 50 } })).data;
}

export async function resolveCall(id: string, demandId?: string): Promise<Call> {
  return (await send<Call>('POST', `/calls/${encodeURIComponent(id)}/resolve`, { body: demandId ? { demandId } : {} })).data;
}

/** Reads `GET /calls/stream` until it ends or `signal` aborts. */
export async function streamCalls(signal: AbortSignal, onCall: (c: CallRinging) => void): Promise<void> {
  const response = await openStream('/calls/stream', signal);
  if (!response.body) return;
  await readEvents(response.body, (e) => {
    if (e.event !== 'call') return;
    try {
      onCall(JSON.parse(e.data) as CallRinging);
    } catch {
      // A malformed event is dropped; the next one is read.
    }
  });
}
