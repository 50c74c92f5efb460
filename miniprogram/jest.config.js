// Unit tests run in node; component tests opt into jsdom with a docblock
// (`@jest-environment jsdom`), which miniprogram-simulate needs.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The API contract check and the test settings of every test (test/setup.ts).
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // 'ts' before 'json': miniprogram-simulate requires a component as `<dir>/index` (no
  // extension), and each component folder also has an index.json.
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  transform: { '^.+\\.ts$': 'babel-jest' },
};
