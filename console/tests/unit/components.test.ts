import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import DeadlineCell from '@/components/DeadlineCell.vue';
import BulkResults from '@/components/BulkResults.vue';
import type { Demand } from '@/api/types';

const demand = (over: Partial<Demand>): Demand =>
  ({
    id: '1',
    number: 'SQ20261205-0001',
    status: 'in_progress',
    overdue: false,
    ...over,
  }) as Demand;

describe('DeadlineCell', () => {
  it('shows overdue demands in the overdue (red) class', () => {
    const w = mount(DeadlineCell, {
      props: { demand: demand({ overdue: true, nextDeadline: { kind: 'reply', at: '2026-12-01T23:59:59+08:00', workingDaysLeft: -3 } }) },
    });
    expect(w.text()).toBe('超期 3 个工作日');
    expect(w.classes()).toContain('deadline-overdue');
  });

  it('shows the working days left', () => {
    const w = mount(DeadlineCell, {
      props: { demand: demand({ nextDeadline: { kind: 'reply', at: '2026-12-09T23:59:59+08:00', workingDaysLeft: 4 } }) },
    });
    expect(w.text()).toBe('剩 4 个工作日');
    expect(w.attributes('title')).toContain('答复剩 4 个工作日');
  });
});

describe('BulkResults', () => {
  it('counts successes and lists each failure with its number and reason', () => {
    const w = mount(BulkResults, {
      props: {
        results: [
          { id: '1', ok: true, status: 'accepted', error: null, message: null },
          { id: '2', ok: false, status: null, error: 'invalid_transition', message: '该诉求已受理' },
        ],
        numbers: { '1': 'SQ20261205-0001', '2': 'SQ20261205-0002' },
      },
    });
    expect(w.text()).toContain('成功 1 件');
    expect(w.text()).toContain('未成功 1 件');
    expect(w.find('li').text()).toBe('SQ20261205-0002：该诉求已受理');
  });
});

import { defineComponent, h } from 'vue';
import { vLabel } from '@/directives/label';

describe('v-label', () => {
  it('names the input inside a wrapper, not the wrapper', () => {
    const Field = defineComponent({ render: () => h('div', { class: 'wrap' }, [h('input', { type: 'text' })]) });
    const w = mount(
      defineComponent({
        directives: { label: vLabel },
        components: { Field },
        template: `<Field v-label="'节日名称'" />`,
      }),
    );
    expect(w.find('input').attributes('aria-label')).toBe('节日名称');
    expect(w.find('.wrap').attributes('aria-label')).toBeUndefined();
  });

  it('names each input of a range in order', () => {
    const Range = defineComponent({ render: () => h('div', [h('input'), h('input')]) });
    const w = mount(defineComponent({ directives: { label: vLabel }, components: { Range }, template: `<Range v-label="['起', '止']" />` }));
    expect(w.findAll('input').map((i) => i.attributes('aria-label'))).toEqual(['起', '止']);
  });
});

import NativeSelect from '@/components/NativeSelect.vue';

describe('NativeSelect', () => {
  it('is a named native select; the empty choice means none', async () => {
    const w = mount(NativeSelect, {
      props: { modelValue: 'tax', label: '承办单位', placeholder: '全部承办单位', options: [{ value: 'tax', label: '税务局' }, { value: 'market', label: '市场监管局' }] },
    });
    const select = w.find('select');
    expect(select.attributes('aria-label')).toBe('承办单位');
    expect(w.findAll('option').map((o) => o.text())).toEqual(['全部承办单位', '税务局', '市场监管局']);
    await select.setValue('market');
    await select.setValue('');
    expect(w.emitted('update:modelValue')).toEqual([['market'], [undefined]]);
  });
});
