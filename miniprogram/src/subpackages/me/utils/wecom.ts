// WeCom binding: the code the group bot (亲清助手) gives in reply to 「绑定」, `123-456789`: a
// ticket (3 digits) and a secret (6 digits). Five wrong tries void it (the server counts).

/** Nine digits, spaces and dashes ignored, sent as `TTT-SSSSSS`; `null` when it is not that. */
export function wecomCode(raw: string): string | null {
  const digits = raw.replace(/[\s\-－—]+/g, '');
  return /^\d{9}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3)}` : null;
}
