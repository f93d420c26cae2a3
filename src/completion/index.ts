// Completion and inspection of network text, for the kernel: pure functions of (text, cursor).
export { completeNetwork, type CompletionOptions, type CompletionResult } from "./complete.js";
export { inspectNetwork, type Inspection } from "./inspect.js";
export { isNetworkComplete, type Completeness } from "./is-complete.js";
