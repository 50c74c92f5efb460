// Sign-in by scanning, the refresh cookie, sign-out, the development personas.
import { api, pendingApi, unwrap } from './client';
import { ApiError, type ErrorBody } from './http';
import type { ConsoleSession, ConsoleTicket, TicketPoll } from './pending';
import type { components } from './schema';

export type Persona = components['schemas']['Persona'];

export async function createTicket(): Promise<ConsoleTicket> {
  return await unwrap(pendingApi.POST('/api/v1/auth/console-tickets', { body: {} }));
}

/** 202 → still waiting; 200 → the session (and the refresh cookie is set). */
export async function pollTicket(ticket: string, secret: string, signal?: AbortSignal): Promise<TicketPoll> {
  const { data, error, response } = await pendingApi.POST('/api/v1/auth/console-tickets/{ticket}/session', {
    params: { path: { ticket } },
    body: { secret },
    signal,
  });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  if (response.status === 202) return { status: 'waiting' };
  return { status: 'signed_in', ...(data as ConsoleSession) };
}

export async function refreshSession(): Promise<ConsoleSession> {
  return await unwrap(pendingApi.POST('/api/v1/auth/console/refresh', { body: {} }));
}

export async function logout(): Promise<void> {
  await unwrap(pendingApi.POST('/api/v1/auth/console/logout', { body: {} }));
}

/** Development mode only: sign in as a demo persona (code `dev:<openid>`). */
export async function devSignIn(personaCode: string): Promise<ConsoleSession> {
  const openid = personaCode.replace(/^dev:/, '');
  return await unwrap(pendingApi.POST('/api/v1/auth/console/dev', { body: { openid } }));
}

export async function listPersonas(): Promise<Persona[]> {
  return (await unwrap(api.GET('/api/v1/dev/personas'))).items;
}
