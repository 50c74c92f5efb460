import { describe, expect, it } from '@jest/globals';

import { normalizeUscc, usccCheckCharacter, validateUscc } from '../src/subpackages/me/utils/uscc';

describe('validateUscc', () => {
  it.each(['91350100M000100Y43', '91110000600037341L'])('accepts %s', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: code });
  });

  it('accepts lower case and stray spaces, returning the normalized code', () => {
    expect(validateUscc(' 91110000 600037341l ')).toEqual({ ok: true, value: '91110000600037341L' });
  });

  it('computes the check character of the first 17 characters', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91110000600037341')).toBe('L');
    expect(usccCheckCharacter('9111000060003734')).toBeNull();
    expect(usccCheckCharacter('9135010OM000100Y4')).toBeNull();
  });

  it.each(['91350100M000100Y44', '91350100M000100Y4A', '91110000600037341K', '91110000600037341M'])(
    'rejects %s for its check digit',
    (code) => {
      const result = validateUscc(code);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problem).toBe('invalid_check_digit');
        expect(result.message).toContain('校验位');
      }
    },
  );

  it('rejects a changed character in the body even with the old check digit', () => {
    expect(validateUscc('91350100M000200Y43')).toMatchObject({ ok: false, problem: 'invalid_check_digit' });
  });

  it.each(['', '   '])('asks for a code when given %j', (code) => {
    expect(validateUscc(code)).toMatchObject({ ok: false, problem: 'empty' });
  });

  it.each(['91350100M000100Y4', '91350100M000100Y433', '913501'])('rejects %s for its length', (code) => {
    expect(validateUscc(code)).toMatchObject({ ok: false, problem: 'wrong_length', message: '统一社会信用代码应为 18 位' });
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the forbidden letter %s', (letter) => {
    const code = `91350100${letter}000100Y43`;
    expect(code).toHaveLength(18);
    expect(validateUscc(code)).toMatchObject({ ok: false, problem: 'invalid_character' });
  });

  it('rejects punctuation', () => {
    expect(validateUscc('91350100M000100Y-3')).toMatchObject({ ok: false, problem: 'invalid_character' });
  });
});

describe('normalizeUscc', () => {
  it('upper-cases and drops whitespace', () => {
    expect(normalizeUscc(' 9135 0100m000100y43\n')).toBe('91350100M000100Y43');
  });
});
