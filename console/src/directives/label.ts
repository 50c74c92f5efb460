// v-label: puts an accessible name on the <input>/<textarea> inside a TDesign field. TDesign
// passes attributes such as aria-label to its wrapper <div>, which leaves the control itself
// unnamed for screen readers (and for getByLabel in the browser tests).
import type { Directive } from 'vue';

function apply(el: HTMLElement, label: unknown) {
  const controls = el.matches('input, textarea') ? [el] : Array.from(el.querySelectorAll<HTMLElement>('input:not([type=hidden]), textarea'));
  const text = typeof label === 'string' ? label : '';
  controls.forEach((c, i) => {
    const name = controls.length > 1 && Array.isArray(label) ? String(label[i] ?? text) : text;
    if (name) c.setAttribute('aria-label', name);
  });
}

export const vLabel: Directive<HTMLElement, string | string[]> = {
  mounted(el, binding) {
    apply(el, binding.value);
  },
  updated(el, binding) {
    apply(el, binding.value);
  },
};
