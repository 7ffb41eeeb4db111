// The CommonJS entry (`require('jsondump')`): the ES module's own namespace, loaded by Node's
// require() of ES modules (Node 20.19+, 22.12+), so `import` and `require` share one instance
// and `instanceof JSONDumpError` or a `rawJSON` fragment mean the same thing in both.
import jsondump = require('./index.js');
export = jsondump;
