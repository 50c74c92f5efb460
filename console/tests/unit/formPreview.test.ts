// The builder's live preview: skip logic shows a question once its condition holds, the
// shared rules mark what is missing, and findings are announced.
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import FormPreview from '@/components/FormPreview.vue';
import type { FormTemplate } from '@/api/types';

const template: FormTemplate = {
  sections: [
    {
      id: 's1',
      title: '大厅',
      questions: [
        { id: 'queue', type: 'yes_no', title: '是否有叫号系统', required: true, finding: { when: 'no' } },
        { id: 'why', type: 'text', title: '如何排队', required: true, showIf: { questionId: 'queue', equals: false } },
        { id: 'wait', type: 'number', title: '等候时间', required: true, min: 0, max: 600, integer: true, unit: '分钟' },
      ],
    },
  ],
};

const stubs = { 't-button': { template: '<button @click="$emit(\'click\')"><slot /></button>' } };

describe('FormPreview', () => {
  it('shows a skipped question when its condition holds, and checks answers by the shared rules', async () => {
    const w = mount(FormPreview, { props: { template }, global: { stubs } });
    expect(w.find('[data-testid="preview-why"]').exists()).toBe(false);
    await w.findAll('[data-testid="preview-queue"] input[type=radio]')[1]!.setValue(true);
    expect(w.find('[data-testid="preview-why"]').exists()).toBe(true);
    expect(w.find('[data-testid="preview-queue"]').text()).toContain('此回答将记为发现问题');

    await w.find('[data-testid="preview-wait"] input').setValue('1.5');
    expect(w.find('[data-testid="preview-wait"]').text()).toContain('请填写整数');

    await w.findAll('button').find((b) => b.text() === '检查答案')!.trigger('click');
    expect(w.find('[data-testid="preview-result"]').text()).toBe('有 2 处需要修改');
    expect(w.find('[data-testid="preview-why"]').text()).toContain('此项为必填项');

    await w.find('[data-testid="preview-why"] textarea').setValue('门口排队');
    await w.find('[data-testid="preview-wait"] input').setValue('15');
    expect(w.find('[data-testid="preview-result"]').text()).toBe('可以提交；发现问题 1 项');
  });

  it('drops the answer of a question removed from the form', async () => {
    const w = mount(FormPreview, { props: { template }, global: { stubs } });
    await w.find('[data-testid="preview-wait"] input').setValue('15');
    const fewer: FormTemplate = { sections: [{ ...template.sections[0]!, questions: template.sections[0]!.questions.slice(0, 1) }] };
    await w.setProps({ template: fewer });
    expect(Object.keys((w.vm as unknown as { answers: Record<string, unknown> }).answers)).toEqual([]);
  });
});
