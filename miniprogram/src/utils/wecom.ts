// WeCom binding: the 6-digit code the group bot (亲清助手) gives in reply to 「绑定」.

/** Six digits, spaces ignored; `null` when it is not that. */
export function wecomCode(raw: string): string | null {
  const code = raw.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}
