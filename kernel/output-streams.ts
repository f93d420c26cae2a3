// Captures process.stdout / process.stderr (console.log, console.error, direct
// writes) and hands the text on as Jupyter `stream` messages. Writes are
// batched for a few milliseconds so that a loop of console.log calls becomes a
// handful of messages, and flushed before any other output so order holds.
import { TextDecoder } from "node:util";

export type StreamName = "stdout" | "stderr";
type WriteFunction = typeof process.stdout.write;

/** Flush at once past this many characters, so a chatty cell streams instead of buffering everything. */
const FLUSH_AT_CHARS = 64 * 1024;

export class OutputStreams {
  private chunks: { name: StreamName; text: string }[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly decoders = { stdout: new TextDecoder("utf-8"), stderr: new TextDecoder("utf-8") };
  private original: { stdout: WriteFunction; stderr: WriteFunction } | null = null;

  constructor(
    private readonly emit: (name: StreamName, text: string) => void,
    private readonly delayMs = 20,
  ) {}

  /** Replaces the process's stdout/stderr writers; `restore()` puts them back. */
  capture(): void {
    if (this.original) return;
    this.original = { stdout: process.stdout.write, stderr: process.stderr.write };
    process.stdout.write = this.writer("stdout");
    process.stderr.write = this.writer("stderr");
  }

  restore(): void {
    if (!this.original) return;
    process.stdout.write = this.original.stdout;
    process.stderr.write = this.original.stderr;
    this.original = null;
  }

  write(name: StreamName, text: string): void {
    if (text === "") return;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.name === name) last.text += text;
    else this.chunks.push({ name, text });
    this.size += text.length;
    if (this.size >= FLUSH_AT_CHARS) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const chunks = this.chunks;
    this.chunks = [];
    this.size = 0;
    for (const chunk of chunks) this.emit(chunk.name, chunk.text);
  }

  private writer(name: StreamName): WriteFunction {
    const decoder = this.decoders[name];
    const write = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
      let text: string;
      if (typeof chunk === "string") text = chunk;
      else if (chunk instanceof Uint8Array) text = decoder.decode(chunk, { stream: true });
      else text = String(chunk);
      this.write(name, text);
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    };
    return write as WriteFunction;
  }
}
