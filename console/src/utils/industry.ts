// GB/T 4754 choices at every level. `GET /industries` answers with classes (level 4) only, each
// with its path of names (门类 › 大类 › 中类 › 小类); the codes of the levels above are the
// prefixes of the class code (C › C34 › C349 › C3499). So the picker offers the section, the
// division and the group a search touches too, and a condition may name any of them.
import type { Industry } from '@/api/types';

const PREFIX = [1, 3, 4, 5];

/** Every level of the classes found, those the query names (by code prefix or name), by level. */
export function industryChoices(found: readonly Industry[], q: string): Industry[] {
  const query = q.trim();
  const code = query.toUpperCase();
  const seen = new Map<string, Industry>();
  for (const hit of found) {
    const names = hit.path.split('›').map((s) => s.trim());
    names.forEach((name, i) => {
      const len = PREFIX[i];
      if (len === undefined || hit.code.length < len) return;
      const c = i === names.length - 1 ? hit.code : hit.code.slice(0, len);
      if (seen.has(c)) return;
      seen.set(c, { code: c, name, level: i + 1, path: names.slice(0, i + 1).join(' › ') });
    });
  }
  return [...seen.values()]
    .filter((x) => query === '' || x.code.startsWith(code) || x.name.includes(query))
    .sort((a, b) => a.level - b.level || a.code.localeCompare(b.code));
}
