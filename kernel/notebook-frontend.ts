// What the ConvNote kernelspec gives Jupyter Notebook 6's page, which loads a kernelspec's
// kernel.js (an AMD module whose onload() it calls) and kernel.css when a notebook uses the kernel:
// - the `%%net` cells' highlighting: a CodeMirror mode read from the language's own lexer and
//   layer registry (src/render/net-highlight.ts), switched on for cells whose first line is %%net;
// - plotly.js, from a copy in the kernelspec folder, for every interactive chart in the notebook:
//   the charts' own scripts wait for it (src/render/charts/plotly.ts), so notebooks need not
//   carry the 4.9 MB library in their outputs;
// - Shift-Tab tooltips whose text wraps at words, not in the middle of them.
import { PLOTLY_WAITING_GLOBAL } from "../src/render/charts/plotly.js";
import { languageWordPattern, netHighlightRules } from "../src/render/net-highlight.js";

/** The CodeMirror mode's name, and the highlight mode Notebook 6 picks for a `%%net` cell. */
export const NET_MODE = "convnote-net";
/** The file name of plotly.js in the kernelspec folder. */
export const KERNELSPEC_PLOTLY_FILE = "plotly.min.js";

export function kernelJs(): string {
  const rules = JSON.stringify(netHighlightRules());
  const word = JSON.stringify(languageWordPattern());
  return `// ConvNote's additions to Jupyter Notebook 6 (written by \`convnote kernel install\`).
define(["module", "require", "codemirror/lib/codemirror", "base/js/namespace", "notebook/js/codecell", "codemirror/addon/mode/overlay"], function (module, require, CodeMirror, Jupyter, codecell) {
  "use strict";
  var MODE = ${JSON.stringify(NET_MODE)};
  var RULES = ${rules};
  var LANGUAGE_WORD = new RegExp(${word}, "i");
  var WAITING = ${JSON.stringify(PLOTLY_WAITING_GLOBAL)};
  var folder = String(module.uri || "").split("?")[0].replace(/[^/]*$/, "");

  // The lexer's tokens in its order; a token with a longer_alt gives way to it when that matches more.
  var compiled = RULES.map(function (r) { return { rule: r, re: new RegExp("^(?:" + r.source + ")", r.flags) }; });
  var byName = {};
  compiled.forEach(function (c) { byName[c.rule.name] = c; });

  function netMode() {
    return {
      token: function (stream) {
        var rest = stream.string.slice(stream.pos);
        for (var i = 0; i < compiled.length; i++) {
          var m = compiled[i].re.exec(rest);
          if (!m || m[0] === "") continue;
          var chosen = compiled[i];
          var text = m[0];
          var alt = chosen.rule.longerAlt && byName[chosen.rule.longerAlt];
          var longer = alt && alt.re.exec(rest);
          if (longer && longer[0].length > text.length) { chosen = alt; text = longer[0]; }
          stream.pos += text.length;
          if (chosen.rule.name === "Word" && LANGUAGE_WORD.test(text)) return "keyword";
          return chosen.rule.style;
        }
        stream.next(); // a character the language does not have: no style
        return null;
      },
    };
  }

  function rehighlight(notebook) {
    notebook.get_cells().forEach(function (cell) {
      if (cell.cell_type === "code") cell.auto_highlight();
    });
  }

  function highlightNetCells() {
    CodeMirror.defineMode(MODE, netMode);
    CodeMirror.defineMIME("text/x-" + MODE, MODE);
    codecell.CodeCell.options_default.highlight_modes["magic_" + MODE] = { reg: ["^%%net\\\\b"] };
    var notebook = Jupyter.notebook;
    if (!notebook) return;
    // When the kernel's language mode arrives, Notebook sets it on every code cell, %%net cells
    // included (_dispatch_mode); a cell picks its magic mode again only when it is next selected.
    // Whichever comes first, kernel.js or the language mode, the %%net cells end in their mode.
    // On the prototype: Notebook 6 seals the notebook object.
    var proto = Object.getPrototypeOf(notebook);
    var dispatch = proto._dispatch_mode;
    if (typeof dispatch === "function" && !dispatch.convnoteNet) {
      var wrapped = function () {
        var result = dispatch.apply(this, arguments);
        rehighlight(this);
        return result;
      };
      wrapped.convnoteNet = true;
      proto._dispatch_mode = wrapped;
    }
    rehighlight(notebook);
  }

  // Charts that ran before plotly.js arrived wait in window[WAITING]; later ones draw at once.
  function plotlyArrived(Plotly) {
    window.Plotly = window.Plotly || Plotly;
    var waiting = window[WAITING];
    window[WAITING] = { push: function (draw) { draw(window.Plotly); } };
    if (waiting && typeof waiting.forEach === "function") waiting.forEach(function (draw) { draw(window.Plotly); });
  }

  function loadPlotly() {
    if (window.Plotly && typeof window.Plotly.react === "function") return plotlyArrived(window.Plotly);
    require([folder + ${JSON.stringify(KERNELSPEC_PLOTLY_FILE)}], plotlyArrived, function (error) {
      console.warn("ConvNote: plotly.js did not load from the kernelspec (" + folder + "); charts stay pictures", error);
    });
  }

  return {
    onload: function () {
      // Each on its own: a change in Notebook's internals must not cost the charts their plotly.
      try {
        highlightNetCells();
      } catch (error) {
        console.warn("ConvNote: highlighting of network cells is off", error);
      }
      loadPlotly();
    },
  };
});
`;
}

/** Notebook 6's tooltip <pre> breaks anywhere (Bootstrap's word-break: break-all): wrap at words. */
export function kernelCss(): string {
  return `/* ConvNote (written by \`convnote kernel install\`): Shift-Tab reference text wraps at words. */
.ipython_tooltip .tooltiptext pre {
  white-space: pre-wrap;
  word-break: normal;
  overflow-wrap: break-word;
}
`;
}
