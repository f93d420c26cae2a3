// What the functions this suite runs inside the page (page.evaluate, waitForFunction) use of the
// browser's globals. The project compiles without TypeScript's DOM library (it is a Node project),
// so each browser test file declares `window` and `document` with these types.

export interface PageElement {
  readonly textContent: string | null;
  readonly classList: { contains(name: string): boolean };
  /** Images: loaded, and decoded to a picture of this width. */
  readonly complete?: boolean;
  readonly naturalWidth?: number;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): PageElementList;
}

export interface PageElementList extends Iterable<PageElement> {
  readonly length: number;
  [index: number]: PageElement | undefined;
}

export type PageDocument = Pick<PageElement, "querySelector" | "querySelectorAll">;

/** The parts of Notebook 6's `Jupyter` object the tests read. */
export interface NotebookCell {
  cell_type: string;
  get_text(): string;
  code_mirror?: { getOption(name: string): unknown };
}

export interface NotebookWindow {
  Jupyter?: {
    notebook?: {
      _fully_loaded?: boolean;
      trusted: boolean | null;
      kernel?: { is_connected(): boolean };
      get_cells(): NotebookCell[];
      execute_all_cells(): void;
      save_notebook(): Promise<unknown>;
    };
  };
}
