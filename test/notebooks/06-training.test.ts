// Training: the six activation functions on one chart with the slides' table, all-zero weights
// that never learn beside Xavier's that do, the signal through a deep tanh stack, six optimizers
// on one plot, and overfitting with its remedies compared in a table.
import assert from "node:assert/strict";
import { type Cell, executeNotebook, executeNotebookRun, joined, notebookOutputs, percentagesNotInOutputs, storedFacts, type Output } from "./run-notebook.js";

const ACTIVATIONS = ["sigmoid", "tanh", "ReLU", "leaky ReLU", "ELU", "softplus"];
const OPTIMIZERS = ["SGD", "momentum", "Nesterov", "SGD + linear decay", "RMSprop", "Adam"];

interface PlotlyTrace {
  name: string;
  x: number[];
  y: (number | null)[];
}

/** The one chart whose text/plain starts with `title`, and its plotly traces. */
function chart(outputs: Output[], title: string): { text: string; traces: PlotlyTrace[] } {
  const found = outputs.filter((o) => joined(o.data?.["text/plain"]).startsWith(title));
  assert.equal(found.length, 1, `one chart titled "${title}"`);
  const figure = found[0]!.data?.["application/vnd.plotly.v1+json"] as unknown as { data: PlotlyTrace[] } | undefined;
  assert.ok(figure, `"${title}" carries its plotly figure`);
  assert.ok(found[0]!.data?.["image/svg+xml"], `"${title}" carries its static SVG`);
  return { text: joined(found[0]!.data?.["text/plain"]), traces: figure.data };
}

const lastValue = (trace: PlotlyTrace): number => trace.y.filter((v): v is number => v !== null).at(-1)!;

function percent(text: string, pattern: RegExp): number {
  const found = pattern.exec(text);
  assert.ok(found, `no ${pattern} in the outputs`);
  return Number(found[1]);
}

describe("notebook 06-training", function () {
  this.timeout(1_200_000);

  it("plots six activations, shows zero weights not learning, six optimizers on one plot and the overfitting table", async () => {
    const { outputs, text } = await notebookOutputs("06-training.ipynb");

    // The activation functions: one chart with all six, computed by ConvNote's compiled layers.
    const activations = chart(outputs, "activation functions (f(x) vs x)");
    assert.deepEqual(activations.traces.map((t) => t.name), ACTIVATIONS);
    const at = (name: string, x: number) => {
      const trace = activations.traces.find((t) => t.name === name)!;
      return trace.y[trace.x.findIndex((v) => Math.abs(v - x) < 1e-9)]!;
    };
    assert.ok(Math.abs(at("sigmoid", 0) - 0.5) < 1e-6 && Math.abs(at("tanh", 0)) < 1e-6, "sigmoid(0) = 0.5, tanh(0) = 0");
    assert.ok(Math.abs(at("ReLU", -2)) < 1e-6 && Math.abs(at("leaky ReLU", -2) + 0.2) < 1e-6, "ReLU(-2) = 0, leaky ReLU(-2) = -0.2");
    assert.ok(Math.abs(at("ELU", -2) - (Math.exp(-2) - 1)) < 1e-5 && Math.abs(at("softplus", 0) - Math.log(2)) < 1e-5, "ELU and softplus");
    const slopes = chart(outputs, "their slopes f'(x)");
    assert.deepEqual(slopes.traces.map((t) => t.name), ACTIVATIONS);

    // The table of formulas and ranges, with the slopes measured and the slides' years.
    for (const row of [
      /sigmoid +SIGMOID +1 \/ \(1 \+ exp\(-x\)\) +\(0, 1\) +0\.018 to 0\.250 +1986/,
      /tanh +TANH +tanh\(x\) +\(-1, 1\) +0\.001 to 1\.000 +1986/,
      /ReLU +RELU +max\(0, x\) +\[0, ∞\) +0\.000 to 1\.000 +2010/,
      /leaky ReLU +LRELU0\.1 +max\(alpha\*x, x\), alpha = 0\.1 here +\(-∞, ∞\) +0\.100 to 1\.000 +2011/,
      /ELU +ELU +x if x > 0 else alpha\*\(exp\(x\) - 1\), alpha = 1 +\(-1, ∞\) +0\.018 to 1\.000 +2015/,
      /softplus +SOFTPLUS +log\(1 \+ exp\(x\)\) +\(0, ∞\) +0\.018 to 0\.982 +2011/,
    ]) assert.match(text, row);

    // Initialisation: all-zero weights stay zero and score chance; Xavier (the default) learns.
    const chance = percent(text, /always answering the commonest digit \(\d\) scores ([\d.]+)%/);
    const zeros = percent(text, /^zeros: test accuracy ([\d.]+)%/m);
    const xavier = percent(text, /^Xavier\/Glorot: test accuracy ([\d.]+)%/m);
    const small = percent(text, /^small random: test accuracy ([\d.]+)%/m);
    assert.ok(chance > 5 && chance < 15, `chance ${chance}%`);
    assert.ok(Math.abs(zeros - chance) <= 1, `zero weights: ${zeros}% against chance ${chance}%`);
    assert.ok(xavier >= 70, `Xavier: ${xavier}%`);
    assert.ok(small > chance + 20, `small random weights learn too: ${small}%`);
    const he = percent(text, /^He: test accuracy ([\d.]+)%/m);
    assert.ok(he > chance + 20, `"every random start learns": He ${he}%`);
    // "small random weights learn too, if a little more slowly than Xavier's": a higher loss at the last epoch.
    const lastInitLoss = (name: string) => Number(new RegExp(`^${name} .* ([\\d.]+) +[\\d.]+%$`, "m").exec(text)![1]);
    assert.ok(lastInitLoss("small random") > lastInitLoss("Xavier\\/Glorot"), "small random weights end above Xavier's loss");
    assert.match(text, /^zeros +small\.model\(\{ init: "zeros" \}\) +0\.000 +2\.30 → 2\.30 → 2\.30 → 2\.30 /m);

    // Through eight tanh layers: small weights shrink the signal to nothing, N(0, 1) saturates, Xavier keeps it.
    const spread = chart(outputs, "spread of each tanh layer's outputs");
    const byName = new Map(spread.traces.map((t) => [t.name, t]));
    assert.ok(lastValue(byName.get("N(0, 0.01²)")!) < 1e-4);
    assert.ok(lastValue(byName.get("Xavier/Glorot")!) > 0.1 && lastValue(byName.get("Xavier/Glorot")!) < 0.5);
    assert.ok(lastValue(byName.get("N(0, 1)")!) > 0.9);
    // "the signal shrinks several times over at every layer" with N(0, 0.01²); "within a factor of two through all eight layers" with Xavier's.
    const tiny = byName.get("N(0, 0.01²)")!.y as number[];
    for (let layer = 1; layer < tiny.length; layer++) assert.ok(tiny[layer]! < tiny[layer - 1]! / 3, `layer ${layer + 1}: ${tiny[layer]} after ${tiny[layer - 1]}`);
    const xavierSpread = byName.get("Xavier/Glorot")!.y as number[];
    assert.ok(Math.max(...xavierSpread) < 2 * Math.min(...xavierSpread), `Xavier's spread: ${xavierSpread.join(", ")}`);

    // Six optimizers, one network, one plot; plain SGD at 0.01 ends highest.
    const optimizers = chart(outputs, "training loss, one network, six optimizers");
    assert.deepEqual(optimizers.traces.map((t) => t.name), OPTIMIZERS);
    for (const trace of optimizers.traces) assert.equal(trace.y.length, 160, `${trace.name}: 5 epochs of 32 batches`);
    const finalLoss = new Map(optimizers.traces.map((t) => [t.name, lastValue(t)]));
    for (const name of OPTIMIZERS.slice(1)) assert.ok(finalLoss.get("SGD")! > finalLoss.get(name)!, `SGD ${finalLoss.get("SGD")} above ${name} ${finalLoss.get(name)}`);
    // The prose under the table, against the table's last-epoch losses: plain SGD's is several
    // times every other's; momentum, Nesterov and the decaying SGD get far lower; RMSprop and Adam
    // leave SGD far behind too, but end above those three.
    const epochLoss = new Map(OPTIMIZERS.map((name) => {
      const row = new RegExp(`^${name.replace("+", "\\+")} +TRAIN\\(.*\\) +([\\d.]+(?: → [\\d.]+){4}) +[\\d.]+%$`, "m").exec(text);
      assert.ok(row, `${name}'s row in the optimizer table`);
      return [name, Number(row[1]!.split(" → ").at(-1))];
    }));
    const sgd = epochLoss.get("SGD")!;
    for (const name of OPTIMIZERS.slice(1)) assert.ok(sgd >= 3 * epochLoss.get(name)!, `SGD ${sgd} several times ${name} ${epochLoss.get(name)}`);
    const tuned = Math.max(...["momentum", "Nesterov", "SGD + linear decay"].map((name) => epochLoss.get(name)!));
    for (const name of ["RMSprop", "Adam"]) assert.ok(epochLoss.get(name)! > tuned, `${name} ${epochLoss.get(name)} ends above momentum, Nesterov and the decaying SGD (${tuned})`);
    assert.match(text, /SGD \+ linear decay +TRAIN\(optimizer=sgd, lr=0\.1, schedule=linear\(final=0\.001, steps=160\)\)/);

    // Overfitting: the network without a remedy learns the 200 digits by heart; the table compares the remedies.
    const table = /overfitting: 200 training digits, 300 validation digits, 20 epochs\n.*\n-+.*\n((?:.*\n?){4})/.exec(text);
    assert.ok(table, "the overfitting table");
    const rows = table[1]!.trim().split("\n");
    assert.deepEqual(rows.map((r) => /^(none|dropout|L2 weight decay|batch norm) /.exec(r)?.[1]), ["none", "dropout", "L2 weight decay", "batch norm"]);
    const columns = / ([\d.]+) +([\d.]+)% +([\d.]+)% +(-?[\d.]+) +([\d.]+) +([\d.]+) \(epoch \d+\)$/;
    for (const row of rows) assert.match(row, columns, row);
    const [none, dropout] = rows.map((row) => columns.exec(row)!.slice(1).map(Number)) as number[][];
    // "gets nearly every training digit right ... its validation loss ends above its lowest point"
    assert.ok(none![1]! >= 95, `without a remedy the training digits are learned: ${none![1]}%`);
    assert.ok(none![4]! > none![5]!, `the validation loss ends (${none![4]}) above its lowest (${none![5]})`);
    // "with units dropped, its training loss stays above that of the network without it"
    assert.ok(dropout![0]! > none![0]!, `dropout's training loss ${dropout![0]} above ${none![0]}`);
    // "none of them closes the gap (every row's gap is still 5 points or more)"
    for (const row of rows) assert.ok(Number(columns.exec(row)![4]) >= 5, `a gap under 5 points: ${row}`);
    assert.match(rows[3]!, /BN\(momentum=0\.9\)/);
    const validation = chart(outputs, "validation loss by epoch");
    assert.deepEqual(validation.traces.map((t) => t.name), ["none", "dropout", "L2 weight decay", "batch norm"]);
    assert.match(text, /after 20 epochs: training accuracy [\d.]+%, validation accuracy [\d.]+%/);
    assert.deepEqual(percentagesNotInOutputs((await executeNotebook("06-training.ipynb")).cells, ["100%"]), []);
  });

  it("prints the same numbers when executed a second time: training is seeded end to end", async () => {
    // Everything but the clock: the progress line's "done in 0:06" is the one number allowed to move.
    const untime = (value: string | string[] | undefined) => joined(value).replace(/done in \d+:\d+/g, "");
    const numbers = (cell: Cell): string[] => {
      const untimed = (cell.outputs ?? []).map((o) => ({
        ...o,
        text: untime(o.text),
        data: o.data && { ...o.data, "text/plain": untime(o.data["text/plain"]), "text/html": untime(o.data["text/html"]) },
      }));
      const figures = (cell.outputs ?? []).map((o) => JSON.stringify(o.data?.["application/vnd.plotly.v1+json"] ?? null));
      return [...storedFacts({ ...cell, outputs: untimed }), ...figures];
    };
    const code = (cells: Cell[]) => cells.filter((c) => c.cell_type === "code");
    const first = code((await executeNotebook("06-training.ipynb")).cells);
    const second = code((await executeNotebookRun("06-training.ipynb", 2)).cells);
    assert.equal(second.length, first.length);
    for (const [i, cell] of first.entries()) assert.deepEqual(numbers(second[i]!), numbers(cell), `a different number on the second run in:\n${joined(cell.source)}`);
  });
});
