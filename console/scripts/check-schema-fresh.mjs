// Fails when src/api/schema.d.ts is not what openapi-typescript makes of ../api/openapi.json
// today, so a contract change shows up in review as a change of the generated types.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qinqing-schema-'));
try {
  const fresh = join(dir, 'schema.d.ts');
  execFileSync(join(root, 'node_modules/.bin/openapi-typescript'), ['../api/openapi.json', '-o', fresh], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const strip = (s) => s.replace(/^\/\/ GENERATED[^\n]*\n\/\/[^\n]*\n/, '');
  const committed = strip(readFileSync(join(root, 'src/api/schema.d.ts'), 'utf8'));
  if (committed !== strip(readFileSync(fresh, 'utf8'))) {
    console.error('src/api/schema.d.ts is stale: run `npm run gen:api` and commit the result.');
    process.exit(1);
  }
  console.log('src/api/schema.d.ts matches ../api/openapi.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
