// Reading the `getPhoneNumber` button's answer.

export interface PhoneNumberDetail {
  code?: string;
  errMsg?: string;
}

/**
 * The code to send to `POST /me/phone`, or null when the person refused (or the platform gave
 * no code, e.g. an account without the phone capability).
 */
export function phoneCode(detail: PhoneNumberDetail | undefined): string | null {
  if (!detail || typeof detail.code !== 'string' || detail.code === '') return null;
  if (detail.errMsg && !/:ok$/.test(detail.errMsg)) return null;
  return detail.code;
}
