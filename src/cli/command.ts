// What every `convnote` subcommand shares: its declared options (parsed by Node's
// util.parseArgs), the usage text made from them, and one path for --help and bad
// usage (message, usage, exit 2). Exit codes: 0 success, 1 a bad network or a failed
// run, 2 bad usage. Commands import this module; commands.ts lists them.
import { parseArgs } from "node:util";

/** Bad usage: the message says what is wrong; the command's usage follows it, exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface OptionSpec {
  type: "string" | "boolean";
  /** The value's placeholder in the usage text, e.g. "DIR" (string options). */
  value?: string;
  /** One line (or several, joined by \n) for the usage text. */
  help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type OptionValues<O extends OptionSpecs> = { [K in keyof O]: O[K]["type"] extends "boolean" ? boolean : string | undefined };

export interface ParsedCommandLine<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
}

/** The option named in one of util.parseArgs's messages ("Option '--lr <value>' argument missing"). */
function optionIn(message: string): string {
  return /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "an option";
}

/** Parses `args` against `options` (`--name value`, `--name=value`, switches); throws UsageError. */
export function parseOptions<O extends OptionSpecs>(options: O, args: readonly string[]): ParsedCommandLine<O> {
  const config: Record<string, { type: "string" | "boolean" }> = {};
  for (const [name, spec] of Object.entries(options)) config[name] = { type: spec.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const flag = optionIn(message);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option '${flag}'`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      if (/does not take an argument/.test(message)) throw new UsageError(`${flag} takes no value`);
      if (/ambiguous/.test(message)) throw new UsageError(`${flag} needs a value (one that starts with '-' is written ${flag}=VALUE)`);
      throw new UsageError(`${flag} needs a value`);
    }
    throw error;
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(options)) values[name] = parsed.values[name] ?? (spec.type === "boolean" ? false : undefined);
  return { values: values as OptionValues<O>, positionals: parsed.positionals };
}

/** A whole number >= min, else a UsageError naming the flag. */
export function wholeNumber(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs a whole number >= ${min}, got '${text}'`);
  return n;
}

/** A finite number > 0, else a UsageError naming the flag. */
export function positiveNumber(text: string, flag: string, unit = "number"): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive ${unit}, got '${text}'`);
  return n;
}

/** Runs a value parser that throws a plain Error (a data set name, a backend name) and reports it as bad usage. */
export function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export interface UsageText {
  /** Each way to call the command, after `convnote NAME`. */
  synopsis: string[];
  /** A paragraph between the synopsis and the options. */
  description?: string;
  options: OptionSpecs;
  /** Text after the options. */
  footer?: string;
}

/** The usage text: synopsis lines, the description, one aligned line per option, the footer. */
export function formatUsage(name: string, usage: UsageText): string {
  const lines = usage.synopsis.map((s, i) => `${i === 0 ? "usage:" : "      "} convnote ${name}${s ? ` ${s}` : ""}`);
  if (usage.description) lines.push("", usage.description);
  const flags = Object.entries(usage.options).map(([option, spec]) => `--${option}${spec.value ? ` ${spec.value}` : ""}`);
  const width = Math.max(0, ...flags.map((f) => f.length));
  const specs = Object.values(usage.options);
  if (specs.length > 0) {
    lines.push("");
    specs.forEach((spec, i) => {
      const [first, ...more] = spec.help.split("\n");
      lines.push(`  ${flags[i]!.padEnd(width)}  ${first}`, ...more.map((l) => `  ${" ".repeat(width)}  ${l}`));
    });
  }
  if (usage.footer) lines.push("", usage.footer);
  return lines.join("\n");
}

export interface Command {
  name: string;
  summary: string;
  /** Runs with the arguments after the command's name; resolves to the exit status. */
  run(args: string[]): Promise<number>;
}

export interface CommandDefinition extends UsageText {
  name: string;
  summary: string;
  /** The command's work; throws UsageError for bad usage. */
  run(args: string[]): Promise<number>;
}

/** A command with the shared --help and bad-usage handling around its own work. */
export function defineCommand(definition: CommandDefinition): Command {
  const usage = (): string => formatUsage(definition.name, definition);
  return {
    name: definition.name,
    summary: definition.summary,
    async run(args: string[]): Promise<number> {
      if (args.includes("--help") || args.includes("-h")) {
        process.stdout.write(`${usage()}\n`);
        return 0;
      }
      try {
        return await definition.run(args);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`convnote ${definition.name}: ${error.message}\n\n${usage()}\n`);
        return 2;
      }
    },
  };
}
