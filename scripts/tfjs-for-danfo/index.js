// danfojs-node requires '@tensorflow/tfjs-node'; the project installs that only where it can
// (optionalDependencies). This shim gives danfo the project's @tensorflow/tfjs instead, so both share
// one tfjs-core and its backend: whatever lib/backend.ts picked (tfjs-node, wasm or cpu).
module.exports = require('@tensorflow/tfjs');
