// ConvNote's images: one type (image.ts), PNG/JPEG (codecs.ts) and a bitmap font (font.ts).
export * from "./image.js";
export { DEFAULT_MAX_MEGAPIXELS, decodeImage, encodeJpeg, encodePng, encodePngBase64, ImageTooLargeError, sniffImageFormat, UnsupportedImageError, type DecodeOptions } from "./codecs.js";
export { drawText, fitText, textWidth, GLYPH_ADVANCE, GLYPH_ASCENT, GLYPH_HEIGHT, GLYPH_WIDTH, LINE_HEIGHT } from "./font.js";
