// The hotline's call log and its live stream.
import { api, unwrap } from './client';
import { ApiError, type ErrorBody } from './http';
import type { Call, CallRinging } from './types';
import { readEvents } from '@/utils/sse';

/** `status`: `ringing`, `answered`, `missed`, `done`, or `callback` (still to be called back). */
export async function listCalls(status?: string): Promise<{ items: Call[]; nextCursor?: string | null }> {
  return await unwrap(api.GET('/api/v1/calls', { params: { query: { status, limit: 50 } } }));
}

export async function resolveCall(id: string, demandId?: string): Promise<Call> {
  return await unwrap(api.POST('/api/v1/calls/{id}/resolve', { params: { path: { id } }, body: demandId ? { demandId } : {} }));
}

/** Reads `GET /calls/stream` (the token in the Authorization header, which EventSource cannot
 * send) until it ends or `signal` aborts. */
export async function streamCalls(signal: AbortSignal, onCall: (c: CallRinging) => void): Promise<void> {
  const { data, error, response } = await api.GET('/api/v1/calls/stream', {
    parseAs: 'stream',
    signal,
    headers: { Accept: 'text/event-stream' },
  });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  if (!data) return;
  await readEvents(data as ReadableStream<Uint8Array>, (e) => {
    if (e.event !== 'call') return;
    try {
      onCall(JSON.parse(e.data) as CallRinging);
    } catch {
      // A malformed event is dropped; the next one is read.
    }
  });
}
