export { compileNetwork, compiledParamsByLayer, type CompiledNetwork, type CompileOptions } from "./compile.js";
export { LocalResponseNormalization } from "./lrn-layer.js";
