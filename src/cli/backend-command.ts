// `convnote backend [--json]`: the TensorFlow.js backend ConvNote would use here, and why each
// other candidate was not chosen (initBackend's report).
import { BACKEND_CHOICES, initBackend, parseBackendChoice, type BackendOptions, type BackendReport } from "../backend/index.js";
import { textTable } from "../render/table.js";
import { asUsage, defineCommand, parseOptions, UsageError } from "./command.js";

const OPTIONS = {
  json: { type: "boolean", help: "the report as one JSON object" },
  backend: { type: "string", value: "NAME", help: `start this one: ${BACKEND_CHOICES.join(", ")}` },
} as const;

/** The report as text: the chosen backend, its device, then one line per candidate. */
export function backendReportText(report: BackendReport): string {
  const rows = report.reasons.map((r) => [`${r.chosen ? "*" : " "} ${r.candidate}`, r.package, r.why]);
  const lines = [
    `backend: ${report.name} (${report.kind}, tfjs backend '${report.tfjsBackend}')`,
    `device:  ${report.device}`,
    ...(report.webgpu === null
      ? []
      : [`adapter: vendor '${report.webgpu.adapter.vendor}', architecture '${report.webgpu.adapter.architecture}', description '${report.webgpu.adapter.description}'` +
          `${report.webgpu.adapter.software === null ? " (hardware)" : ` (software: ${report.webgpu.adapter.software})`}`]),
    `tfjs:    ${report.tfjsVersion}`,
    `chosen:  ${report.selectedBy}`,
  ];
  if (report.kernelFills.length > 0) lines.push(`kernels ConvNote adds: ${report.kernelFills.map((f) => f.kernel).join(", ")}`);
  lines.push("", textTable(rows, { header: ["  candidate", "package", "why (* = chosen)"] }));
  return lines.join("\n");
}

async function runBackend(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(OPTIONS, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const options: BackendOptions = {};
  const backend = values.backend;
  if (backend !== undefined) options.backend = asUsage(() => parseBackendChoice(backend, "--backend"));
  const json = values.json;
  let report: BackendReport;
  try {
    report = await initBackend(options);
  } catch (error) {
    process.stderr.write(`convnote backend: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${backendReportText(report)}\n`);
  return 0;
}

export const backendCommand = defineCommand({
  name: "backend",
  summary: "the TensorFlow.js backend that training would use, and why the others were not chosen",
  synopsis: [`[--json] [--backend ${BACKEND_CHOICES.join("|")}]`],
  description: `Starts the backend ConvNote would train on (the first that works of ${BACKEND_CHOICES.join(", ")}, or
the one CONVNOTE_BACKEND or --backend names) and says why each other one was not used.
webgpu is taken automatically only on a hardware GPU adapter; --backend webgpu also takes a
software one (SwiftShader, llvmpipe).`,
  options: OPTIONS,
  run: runBackend,
});
