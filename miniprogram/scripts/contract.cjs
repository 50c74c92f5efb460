// The API contract the mini-program is built against: the server's OpenAPI document
// (../api/openapi.json, a snapshot shared with the console) plus the pending supplement
// (contract/pending.openapi.json: endpoints agreed in docs/console-api.md or API-NEEDS.md that the
// server does not have yet). Used by the type generator and by the fake server of the tests.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SERVER_DOC = path.resolve(root, '..', 'api', 'openapi.json');
const PENDING_DOC = path.resolve(root, 'contract', 'pending.openapi.json');

const queryNames = (op) => (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);

/**
 * The server's document with the pending paths and schemas added, and the operations of
 * `replaces` put in place of the server's (an endpoint that is to change, e.g. to be paged).
 * Throws when the server's document has caught up — a pending path or schema already there, or a
 * replaced operation whose server version already takes every query parameter of the replacement
 * — so the pending entry is deleted and the server's definition takes over.
 */
function loadContract() {
  const doc = JSON.parse(fs.readFileSync(SERVER_DOC, 'utf8'));
  const pending = JSON.parse(fs.readFileSync(PENDING_DOC, 'utf8'));
  const replaces = pending.replaces ?? {};
  const clashes = [
    ...Object.keys(pending.paths).filter((p) => p in doc.paths).map((p) => `path ${p}`),
    ...Object.keys(pending.schemas).filter((s) => s in doc.components.schemas).map((s) => `schema ${s}`),
    ...Object.entries(replaces).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([method, op]) => {
          const server = doc.paths[p]?.[method];
          if (!server) throw new Error(`contract/pending.openapi.json: replaces ${method.toUpperCase()} ${p}, which the server's document does not have`);
          const have = new Set(queryNames(server));
          return queryNames(op).every((n) => have.has(n));
        })
        .map(([method]) => `replaced ${method.toUpperCase()} ${p}`),
    ),
  ];
  if (clashes.length > 0) {
    throw new Error(
      `contract/pending.openapi.json: the server's document now has ${clashes.join(', ')}; ` +
        'delete them from the pending supplement so the server definition is used',
    );
  }
  const paths = { ...doc.paths, ...pending.paths };
  for (const [p, ops] of Object.entries(replaces)) paths[p] = { ...paths[p], ...ops };
  return {
    ...doc,
    paths,
    components: { ...doc.components, schemas: { ...doc.components.schemas, ...pending.schemas } },
  };
}

/** The paths that come from the pending supplement (new or replaced), not from the server's document. */
function pendingPaths() {
  const pending = JSON.parse(fs.readFileSync(PENDING_DOC, 'utf8'));
  return [...Object.keys(pending.paths), ...Object.keys(pending.replaces ?? {})];
}

module.exports = { loadContract, pendingPaths, SERVER_DOC, PENDING_DOC };
