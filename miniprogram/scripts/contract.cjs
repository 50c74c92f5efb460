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

/**
 * The server's document with the pending paths and schemas added. Throws when a pending path or
 * schema is already in the server's document: the server's definition must then take over, so the
 * pending entry has to be deleted.
 */
function loadContract() {
  const doc = JSON.parse(fs.readFileSync(SERVER_DOC, 'utf8'));
  const pending = JSON.parse(fs.readFileSync(PENDING_DOC, 'utf8'));
  const clashes = [
    ...Object.keys(pending.paths).filter((p) => p in doc.paths).map((p) => `path ${p}`),
    ...Object.keys(pending.schemas).filter((s) => s in doc.components.schemas).map((s) => `schema ${s}`),
  ];
  if (clashes.length > 0) {
    throw new Error(
      `contract/pending.openapi.json: the server's document now has ${clashes.join(', ')}; ` +
        'delete them from the pending supplement so the server definition is used',
    );
  }
  return {
    ...doc,
    paths: { ...doc.paths, ...pending.paths },
    components: { ...doc.components, schemas: { ...doc.components.schemas, ...pending.schemas } },
  };
}

/** The paths that come from the pending supplement, not from the server's document. */
function pendingPaths() {
  return Object.keys(JSON.parse(fs.readFileSync(PENDING_DOC, 'utf8')).paths);
}

module.exports = { loadContract, pendingPaths, SERVER_DOC, PENDING_DOC };
