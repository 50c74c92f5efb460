// Used by jest only (babel-jest): strips the types and turns ES modules into CommonJS.
// Type checking is tsc's job (`npm run typecheck`); WeChat DevTools compiles the app itself.
module.exports = {
  presets: [['@babel/preset-typescript', { onlyRemoveTypeImports: true }]],
  plugins: ['@babel/plugin-transform-modules-commonjs'],
};
