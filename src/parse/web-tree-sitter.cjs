// CommonJS bridge: ncc bundles web-tree-sitter's CJS build correctly, while its ESM build's
// `await import("module")` is mangled by webpack (createRequire becomes undefined).
module.exports = require('web-tree-sitter');
