// Lets a child node process require the project's TypeScript sources, with the types stripped as
// they load (by swc, as jest does), so that a test can watch what node itself prints for an app.
const { readFileSync } = require('fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, file) => {
  const { code } = transformSync(readFileSync(file, 'utf8'), {
    filename: file,
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
  });
  module._compile(code, file);
};
