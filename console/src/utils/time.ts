// Times between the API (RFC 3339) and native date-time fields (`YYYY-MM-DDTHH:mm`, local).

const pad = (n: number) => String(n).padStart(2, '0');

/** A `datetime-local` value as RFC 3339 with the browser's offset (`2026-12-05T09:00:00+08:00`). */
export function localToRfc3339(v: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** An RFC 3339 time as a `datetime-local` value in the browser's zone. */
export function rfc3339ToLocal(s: string | null | undefined): string {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `2026-12-05 09:00`, in the browser's zone. */
export function shortTime(s: string | null | undefined): string {
  return rfc3339ToLocal(s).replace('T', ' ');
}

/** Today (local) as `YYYY-MM-DD`, shifted by `days`. */
export function dayOffset(days: number, from = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `lat,lng` pasted from a map (`36.06, 120.38`, also with the Chinese comma), or null. */
export function parseLatLng(text: string): { latitude: number; longitude: number } | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const latitude = Number(m[1]);
  const longitude = Number(m[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude };
}
