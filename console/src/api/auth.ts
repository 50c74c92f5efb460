// Sign-in by scanning, the refresh cookie, sign-out, the development personas.
import { api, send, unwrap } from './client';
import type { ConsoleSession, ConsoleTicket, TicketPoll } from './pending';
import type { components } from './schema';

export type Persona = components['schemas']['Persona'];

export async function createTicket(): Promise<ConsoleTicket> {
  return (await send<ConsoleTicket>('POST', '/auth/console-tickets', { body: {} })).data;
}

/** 202 → still waiting; 200 → the session (and the refresh cookie is set). */
export async function pollTicket(ticket: string, secret: string, signal?: AbortSignal): Promise<TicketPoll> {
  const { status, data } = await send<ConsoleSession | { status: 'waiting' }>(
    'POST',
    `/auth/console-tickets/${encodeURIComponent(ticket)}/session`,
    { body: { secret }, signal },
  );
  if (status === 202) return { status: 'waiting' };
  return { status: 'signed_in', ...(data as ConsoleSession) };
}

export async function refreshSession(): Promise<ConsoleSession> {
  return (await send<ConsoleSession>('POST', '/auth/console/refresh', { body: {} })).data;
}

export async function logout(): Promise<void> {
  await send<void>('POST', '/auth/console/logout', { body: {} });
}

/** Development mode only: sign in as a demo persona (code `dev:<openid>`). */
export async function devSignIn(personaCode: string): Promise<ConsoleSession> {
  const openid = personaCode.replace(/^dev:/, '');
  return (await send<ConsoleSession>('POST', '/auth/console/dev', { body: { openid } })).data;
}

export async function listPersonas(): Promise<Persona[]> {
  return (await unwrap(api.GET('/api/v1/dev/personas'))).items;
}
