import TS = require('web-tree-sitter');
export = TS;
