import { describe, expect, it } from 'vitest';
import { industryChoices } from '@/utils/industry';

const found = [
  { code: 'C3499', name: '其他未列明通用设备制造业', level: 4, path: '制造业 › 通用设备制造业 › 其他通用设备制造业 › 其他未列明通用设备制造业' },
  { code: 'C3411', name: '锅炉及辅助设备制造', level: 4, path: '制造业 › 通用设备制造业 › 锅炉及原动设备制造 › 锅炉及辅助设备制造' },
  { code: 'F5273', name: '计算机、软件及辅助设备零售', level: 4, path: '批发和零售业 › 零售业 › 家用电器及电子产品专门零售  › 计算机、软件及辅助设备零售' },
];

describe('industry choices', () => {
  it('offer the section, division and group above the classes found, by level', () => {
    expect(industryChoices(found, '制造').map((x) => [x.code, x.level, x.name])).toEqual([
      ['C', 1, '制造业'],
      ['C34', 2, '通用设备制造业'],
      ['C341', 3, '锅炉及原动设备制造'],
      ['C349', 3, '其他通用设备制造业'],
      ['C3411', 4, '锅炉及辅助设备制造'],
      ['C3499', 4, '其他未列明通用设备制造业'],
    ]);
  });

  it('match a code at any level by prefix', () => {
    expect(industryChoices(found, 'c34').map((x) => x.code)).toEqual(['C34', 'C341', 'C349', 'C3411', 'C3499']);
    expect(industryChoices(found, 'F').map((x) => x.code)).toEqual(['F', 'F52', 'F527', 'F5273']);
  });

  it('tolerate extra spaces in the path', () => {
    expect(industryChoices(found, '家用电器')[0]).toMatchObject({ code: 'F527', name: '家用电器及电子产品专门零售', path: '批发和零售业 › 零售业 › 家用电器及电子产品专门零售' });
  });
});
