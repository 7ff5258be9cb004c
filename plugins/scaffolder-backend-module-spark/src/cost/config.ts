import type { Config } from '@backstage/config';
import { DEFAULT_PRICE_MODEL, type PriceModel } from './estimate';

/** The `spark.cost` price model, with the defaults for what it leaves out. */
export function readPriceModel(config: Config): PriceModel {
  const price = (key: string, fallback: number) => {
    const value = config.getOptionalNumber(`spark.cost.${key}`) ?? fallback;
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(
        `spark.cost.${key} must be a number of at least 0, got ${value}`,
      );
    }
    return value;
  };
  const spotDiscount = price('spotDiscount', DEFAULT_PRICE_MODEL.spotDiscount);
  if (spotDiscount > 1) {
    throw new Error(
      `spark.cost.spotDiscount must be between 0 and 1, got ${spotDiscount}`,
    );
  }
  return {
    vcpuHour: price('prices.vcpuHour', DEFAULT_PRICE_MODEL.vcpuHour),
    gibHour: price('prices.gibHour', DEFAULT_PRICE_MODEL.gibHour),
    gpuHour: price('prices.gpuHour', DEFAULT_PRICE_MODEL.gpuHour),
    spotDiscount,
    currency:
      config.getOptionalString('spark.cost.currency') ??
      DEFAULT_PRICE_MODEL.currency,
  };
}
