import { describe, expect, it } from '@jest/globals';

import { ApiError } from '../src/utils/api-error';
import { formErrors } from '../src/utils/forms';
import { phoneCode } from '../src/utils/phone';

const FIELDS = ['uscc', 'inviteCode'] as const;

describe('formErrors', () => {
  it('puts each server field error next to its field', () => {
    const err = new ApiError('validation_failed', '请检查填写的内容', 422, [
      { field: 'inviteCode', code: 'invalid_invite_code', message: '邀请码不正确' },
    ]);
    expect(formErrors(err, FIELDS)).toEqual({ fields: { uscc: '', inviteCode: '邀请码不正确' }, form: '' });
  });

  it('places a whole-request error on the field it concerns', () => {
    const err = new ApiError('enterprise_not_found', '未找到该企业', 404);
    expect(formErrors(err, FIELDS, { enterprise_not_found: 'uscc' })).toEqual({
      fields: { uscc: '未找到该企业', inviteCode: '' },
      form: '',
    });
  });

  it('shows other errors for the whole form', () => {
    const err = new ApiError('binding_pending', '您已有待审核的绑定申请', 409);
    expect(formErrors(err, FIELDS, { enterprise_not_found: 'uscc' })).toEqual({
      fields: { uscc: '', inviteCode: '' },
      form: '您已有待审核的绑定申请',
    });
    expect(formErrors(new Error('boom'), FIELDS).form).toBe('操作失败，请稍后重试');
  });
});

describe('phoneCode', () => {
  it('returns the code the person agreed to share', () => {
    expect(phoneCode({ code: 'abc', errMsg: 'getPhoneNumber:ok' })).toBe('abc');
  });

  it('returns null when the person refused or no code came', () => {
    expect(phoneCode({ errMsg: 'getPhoneNumber:fail user deny' })).toBeNull();
    expect(phoneCode({ code: 'abc', errMsg: 'getPhoneNumber:fail no permission' })).toBeNull();
    expect(phoneCode({ code: '' })).toBeNull();
    expect(phoneCode(undefined)).toBeNull();
  });
});
