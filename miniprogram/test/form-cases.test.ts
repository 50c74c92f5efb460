// The shared form cases (../api/tests/form_cases.json) through the mini-program's rules
// (utils/form.ts): the server runs the same file through its form engine
// (api/tests/form_cases.rs) and the console through its preview, so the three agree.
import { describe, expect, it } from '@jest/globals';

import type { FormTemplate } from '../src/types/api';
import { findings, validateAnswers, type DraftAnswers } from '../src/utils/form';

// node's fs, typed by hand as the other tests do (test/tsconfig.json has no node types).
const fs = require('fs') as { readFileSync(path: string, encoding: 'utf8'): string };

interface SharedCase {
  name: string;
  answers: DraftAnswers;
  errors: { field: string; code: string }[];
  findings?: string[];
}

const shared = JSON.parse(fs.readFileSync(`${__dirname}/../../api/tests/form_cases.json`, 'utf8')) as {
  form: FormTemplate;
  base: DraftAnswers;
  cases: SharedCase[];
};

describe('the shared form cases', () => {
  it('are all there', () => {
    expect(shared.cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(shared.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const answers: DraftAnswers = { ...shared.base, ...c.answers };
    const checked = validateAnswers(shared.form, answers);
    expect(checked.errors.map(({ field, code }) => ({ field, code }))).toEqual(c.errors);
    if (c.findings && checked.errors.length === 0) {
      expect(findings(shared.form, checked.answers)).toEqual(c.findings);
    }
  });
});
