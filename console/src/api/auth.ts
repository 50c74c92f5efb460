// Sign-in by scanning, the refresh cookie, sign-out, the development personas.
import { api, unwrap } from './client';
import { ApiError, type ErrorBody } from './http';
import type { components } from './schema';
import type { ConsoleSession, NewConsoleTicket } from './types';

export type Persona = components['schemas']['Persona'];

/** What one look at a ticket found: still waiting (202), or the session (200). */
export type TicketPoll = { status: 'waiting' } | ({ status: 'signed_in' } & ConsoleSession);

/** How long the server may hold one look at a ticket before answering 202 (it answers at once
 * when the ticket is confirmed meanwhile). */
export const TICKET_WAIT_SECS = 20;

export async function createTicket(): Promise<NewConsoleTicket> {
  return await unwrap(api.POST('/api/v1/auth/console-tickets'));
}

/** 202 → still waiting; 200 → the session (and the refresh cookie is set). The server holds
 * the request up to `waitSecs` seconds (a long poll). */
export async function pollTicket(ticket: string, secret: string, signal?: AbortSignal, waitSecs = TICKET_WAIT_SECS): Promise<TicketPoll> {
  const { data, error, response } = await api.POST('/api/v1/auth/console-tickets/{ticket}/session', {
    params: { path: { ticket } },
    body: { secret, waitSecs },
    signal,
  });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  // 202's body is `{status: "waiting"}` (WaitingResponse); 200's the session.
  if (response.status === 202 || !data || !('accessToken' in data)) return { status: 'waiting' };
  return { status: 'signed_in', ...data };
}

export async function refreshSession(): Promise<ConsoleSession> {
  return await unwrap(api.POST('/api/v1/auth/console/refresh'));
}

export async function logout(): Promise<void> {
  await unwrap(api.POST('/api/v1/auth/console/logout'));
}

/** Development mode only: sign in as a demo persona (code `dev:<openid>`). */
export async function devSignIn(personaCode: string): Promise<ConsoleSession> {
  const openid = personaCode.replace(/^dev:/, '');
  return await unwrap(api.POST('/api/v1/auth/console/dev', { body: { openid } }));
}

export async function listPersonas(): Promise<Persona[]> {
  return (await unwrap(api.GET('/api/v1/dev/personas'))).items;
}
