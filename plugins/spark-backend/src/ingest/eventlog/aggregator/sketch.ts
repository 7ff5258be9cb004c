/**
 * A quantile sketch with bounded size and ~1% relative error: values fall into logarithmic
 * buckets (DDSketch's idea). Plain JSON, so it checkpoints as it is; merging order does not
 * matter, so a resumed run ends with the same sketch.
 */
export interface QuantileSketch {
  count: number;
  zeros: number;
  min: number;
  max: number;
  /** bucket index → count */
  buckets: Record<string, number>;
}

const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

export function newSketch(): QuantileSketch {
  return { count: 0, zeros: 0, min: 0, max: 0, buckets: {} };
}

export function addToSketch(sketch: QuantileSketch, value: number): void {
  if (!Number.isFinite(value)) return;
  if (sketch.count === 0) {
    sketch.min = value;
    sketch.max = value;
  } else {
    if (value < sketch.min) sketch.min = value;
    if (value > sketch.max) sketch.max = value;
  }
  sketch.count += 1;
  if (value <= 0) {
    sketch.zeros += 1;
    return;
  }
  // A number key is the same property as its string (an index), without building the string.
  const key = Math.ceil(Math.log(value) / LOG_GAMMA);
  sketch.buckets[key] = (sketch.buckets[key] ?? 0) + 1;
}

/** The values at the given quantiles (0 = min, 1 = max), rounded like the metric. */
export function sketchQuantiles(
  sketch: QuantileSketch,
  quantiles: number[],
): number[] {
  if (sketch.count === 0) return quantiles.map(() => 0);
  const keys = Object.keys(sketch.buckets)
    .map(Number)
    .sort((a, b) => a - b);
  return quantiles.map(q => {
    if (q <= 0) return sketch.min;
    if (q >= 1) return sketch.max;
    const rank = q * (sketch.count - 1);
    if (rank < sketch.zeros) return sketch.min < 0 ? sketch.min : 0;
    let seen = sketch.zeros;
    for (const key of keys) {
      seen += sketch.buckets[String(key)];
      if (seen > rank) {
        const value = (2 * GAMMA ** key) / (GAMMA + 1);
        return Math.min(sketch.max, Math.max(sketch.min, Math.round(value)));
      }
    }
    return sketch.max;
  });
}
