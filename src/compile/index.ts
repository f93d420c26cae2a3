export { compileNetwork, compiledParamsByLayer, type CompiledNetwork, type CompileOptions } from "./compile.js";
export { ScaledElu } from "./elu-layer.js";
export { LocalResponseNormalization } from "./lrn-layer.js";
