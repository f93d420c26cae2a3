/** A place in the source text. Lines and columns count from 1; `length` is in characters. */
export interface Span {
  offset: number;
  length: number;
  line: number;
  column: number;
}

/** Line and column of `offset` in `source`. */
export function spanAt(source: string, offset: number, length: number): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, length, line, column: offset - lineStart + 1 };
}
