// Sign-in to the staff console by scanning its QR code (docs/console-api.md, 扫码登录): the person
// scanning reads the ticket (to see which browser asks) and confirms it.
import type { ConsoleTicket, ConsoleTicketConfirmed } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `GET /auth/console-tickets/{ticket}`: the browser that asks, and whether it still waits. 404 `ticket_not_found`. */
export function getConsoleTicket(ticket: string): Promise<ConsoleTicket> {
  return request<ConsoleTicket>({ method: 'GET', path: `/auth/console-tickets/${encodeURIComponent(ticket)}` });
}

/**
 * `POST /auth/console-tickets/{ticket}/confirm` `{}` → `{status: "confirmed"}`. 403 `not_staff`,
 * 409 `ticket_confirmed`, 410 `ticket_expired`, 404 `ticket_not_found`.
 */
export function confirmConsoleTicket(ticket: string, idempotencyKey: string = newIdempotencyKey()): Promise<ConsoleTicketConfirmed> {
  return request<ConsoleTicketConfirmed>({
    method: 'POST',
    path: `/auth/console-tickets/${encodeURIComponent(ticket)}/confirm`,
    data: {},
    idempotencyKey,
  });
}
