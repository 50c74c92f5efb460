// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last one
// is a check digit over the first 17. Pure, so the form can say what is wrong before sending.

/** The 31 characters a USCC may contain (no I, O, Z, S, V); a character's value is its index. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccProblem = 'empty' | 'wrong_length' | 'invalid_character' | 'invalid_check_digit';

export type UsccResult =
  | { ok: true; value: string }
  | { ok: false; problem: UsccProblem; message: string };

const MESSAGES: Record<UsccProblem, string> = {
  empty: '请输入统一社会信用代码',
  wrong_length: '统一社会信用代码应为 18 位',
  invalid_character: '统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）',
  invalid_check_digit: '统一社会信用代码校验位不正确，请核对',
};

/** Upper-cases and trims what a person typed; spaces inside are removed too. */
export function normalizeUscc(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 characters, or null if one of them is not allowed. */
export function usccCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_CHARSET.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** Checks a USCC as typed (after `normalizeUscc`); the value is the normalized code. */
export function validateUscc(input: string): UsccResult {
  const value = normalizeUscc(input);
  const fail = (problem: UsccProblem): UsccResult => ({ ok: false, problem, message: MESSAGES[problem] });
  if (value.length === 0) return fail('empty');
  if (value.length !== 18) return fail('wrong_length');
  for (const ch of value) {
    if (!USCC_CHARSET.includes(ch)) return fail('invalid_character');
  }
  if (usccCheckCharacter(value.slice(0, 17)) !== value.charAt(17)) return fail('invalid_check_digit');
  return { ok: true, value };
}
