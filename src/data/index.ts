/**
 * ConvNote's data sets: loaders for shipped or locally installed data and
 * seeded generators. Nothing here downloads anything or depends on tfjs.
 */

export { createRng, hashString, mulberry32, normaliseSeed, type Rng } from "./random.js";
export {
  checkDataset,
  classCounts,
  datasetLength,
  imageAt,
  imageSize,
  selectIndices,
  split,
  stratifiedIndices,
  subset,
  take,
  type ImageDataset,
} from "./dataset.js";
export {
  encodeIdx,
  IdxFormatError,
  isGzip,
  parseIdx,
  readIdxFile,
  type IdxArray,
  type IdxDtype,
  type IdxValues,
} from "./idx.js";
export { clearIdxCache } from "./idx-dataset.js";
export { loadMnist, MNIST_CLASS_NAMES, mnistDataDirectory, type MnistOptions, type MnistSplit } from "./mnist.js";
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DEBIAN_DIR,
  FASHION_MNIST_ENV_VAR,
  fashionMnistDirectory,
  isFashionMnistAvailable,
  loadFashionMnist,
  type FashionMnistOptions,
  type FashionMnistSplit,
} from "./fashion-mnist.js";
export {
  CANONICAL_POSE,
  generateXO,
  renderXO,
  XO_CLASS_NAMES,
  xoVariationPreset,
  type XOOptions,
  type XOPose,
  type XOShape,
  type XOVariationName,
  type XOVariations,
} from "./xo.js";
export { COLOUR_SHAPES_CLASS_NAMES, generateColourShapes, type ColourShapesOptions } from "./colour-shapes.js";
export {
  CIFAR10_CLASS_NAMES,
  CIFAR10_ENV_VAR,
  CIFAR10_RECORD_BYTES,
  encodeCifar10Batch,
  loadCifar10,
  parseCifar10Batch,
  type Cifar10Options,
} from "./cifar10.js";
export { loadImageFolder, prepareImage, readImageFile, type ImageFolderOptions, type ImageLoadOptions } from "./image-folder.js";
export { loadSamplePhoto, SAMPLE_PHOTO, samplePhotoPath, type SamplePhotoOptions } from "./sample-photo.js";
export {
  createWordVectors,
  embedSentences,
  generateTextCorpus,
  PAD_TOKEN,
  TEXT_CLASS_NAMES,
  textVocabulary,
  tokenize,
  UNKNOWN_TOKEN,
  type EmbeddedSentences,
  type TextCorpus,
  type TextCorpusOptions,
  type WordVectors,
} from "./text-corpus.js";
