// The kernel the protocol tests start: the real kernel (kernel/main.ts) with the
// test `%%net` handler plugged in, and without loading TensorFlow.js for the banner.
import { kernelMain } from "../../kernel/main.js";
import { UpperCaseNetHandler } from "./uppercase-net-handler.js";

kernelMain(process.argv.slice(2), { languageCells: { net: new UpperCaseNetHandler() }, announceBackend: false });
