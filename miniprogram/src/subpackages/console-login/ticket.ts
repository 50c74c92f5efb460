// The console's sign-in ticket as the page receives it.

/** The ticket of the page's query: `scene` (URL-encoded by WeChat) from a mini-program code, or `ticket`. */
export function ticketOf(query: Record<string, string | undefined>): string {
  const raw = query.scene !== undefined ? decodeURIComponent(query.scene) : (query.ticket ?? '');
  // A scene may carry `ticket=...` when the code was made with a key.
  const value = raw.startsWith('ticket=') ? raw.slice('ticket='.length) : raw;
  return /^[A-Z2-7]{16}$/.test(value) ? value : '';
}
