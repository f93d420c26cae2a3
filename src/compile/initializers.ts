// Weight initialisation, as the slides define it. Glorot/Xavier uniform samples U(-r, r) with
// r = sqrt(6 / (fan_in + fan_out)); He samples N(0, 2 / fan_in); zeros never learns (every unit
// of a layer computes the same thing and gets the same gradient), kept so a notebook can show it.
import { tf } from "../backend/tf.js";
import type { Initializer } from "../shapes/defaults.js";

export type WeightInitializer = ReturnType<typeof tf.initializers.zeros>;

export function kernelInitializer(kind: Initializer, seed: number | undefined): WeightInitializer {
  const seeded = seed === undefined ? {} : { seed };
  switch (kind) {
    case "glorot":
      return tf.initializers.glorotUniform(seeded);
    case "he":
      return tf.initializers.heNormal(seeded);
    case "zeros":
      return tf.initializers.zeros();
  }
}
