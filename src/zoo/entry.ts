// One network of the zoo: its text in the ConvNote language (the teaching material itself), where
// it comes from, and the parameter count published for it, if there is one.

export interface PublishedCount {
  /** The exact integer, as the reference gives it. */
  params: number;
  /** What is counted: e.g. "weights + biases" or "trainable parameters (BN's moving statistics excluded)". */
  convention: string;
  /** Where the number comes from. */
  reference: string;
}

export interface ZooEntry {
  /** Lower-case, e.g. `vgg-d`, `resnet-50`. */
  name: string;
  /** Other names it answers to, e.g. `vgg16` for `vgg-d`. */
  aliases: string[];
  title: string;
  /** The network in the ConvNote language, commented with `#`. */
  source: string;
  citation: string;
  published?: PublishedCount;
  /** How the text departs from (or pins down) the paper: borders, conventions, the total we get. */
  notes: string;
}
