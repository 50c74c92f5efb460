// Times as people in China read them. The server sends RFC 3339 with +08:00, but any offset is
// turned into China time here, so a differently configured server still reads right.

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** `2026-11-28 09:30` in China time; '' for null or an unreadable value. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2026-11-28` in China time; '' for null or an unreadable value. */
export function formatDate(iso: string | null | undefined): string {
  return formatTime(iso).slice(0, 10);
}

/** The end of a China-time day (`YYYY-MM-DD`) as RFC 3339: a deadline chosen by date. */
export function endOfChinaDay(date: string): string {
  return `${date}T23:59:59+08:00`;
}
