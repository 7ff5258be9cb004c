import type { RenderedPreset } from '../render/render';
import { demand } from '../validate/quotaRules';

/**
 * Prices of the cost estimate (`spark.cost` config): the same model the data plane prices
 * Spark runs with.
 *
 * @public
 */
export interface PriceModel {
  /** Price of one vCPU for one hour. */
  vcpuHour: number;
  /** Price of one GiB of memory for one hour. */
  gibHour: number;
  /** Price of one GPU for one hour. */
  gpuHour: number;
  /** Share taken off on spot/preemptible capacity, 0..1. */
  spotDiscount: number;
  /** ISO 4217 code the prices are in. */
  currency: string;
}

/**
 * The defaults: OpenCost's list prices for CPU and memory, a mid-range cloud GPU (an NVIDIA
 * T4/L4-class instance share), 70 % off on spot.
 *
 * @public
 */
export const DEFAULT_PRICE_MODEL: PriceModel = {
  vcpuHour: 0.0252,
  gibHour: 0.014,
  gpuHour: 0.95,
  spotDiscount: 0.7,
  currency: 'USD',
};

/** Hours in an average month (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * One line of a cost estimate.
 *
 * @public
 */
export interface CostLine {
  /** The workload or Spark role, e.g. `Deployment team-a/team-a-connect`. */
  what: string;
  /** Hours a month it is assumed to run. */
  hours: number;
  /** vCPU requested while it runs. */
  cpu: number;
  /** GiB of memory requested (with Spark's overhead). */
  memoryGiB: number;
  /** GPUs requested. */
  gpus: number;
  /** Whether the spot discount applies. */
  spot: boolean;
  /** Its monthly cost, rounded to cents. */
  monthly: number;
}

/**
 * A monthly estimate from requests (what Kubernetes reserves), not from usage.
 *
 * @public
 */
export interface CostEstimate {
  /** ISO 4217 code of the amounts. */
  currency: string;
  /** Sum of the lines, rounded to cents. */
  monthly: number;
  /** One line per workload or Spark role. */
  lines: CostLine[];
  /** The assumptions, in words, for the preview. */
  assumptions: string[];
}

const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * Estimates what an environment costs a month: workloads run all month; Spark drivers and
 * executors for `usage.sparkHoursPerMonth`, with dynamic allocation in the middle of its range.
 *
 * @public
 */
export function estimateCost(
  rendered: RenderedPreset,
  prices: PriceModel = DEFAULT_PRICE_MODEL,
): CostEstimate {
  const sparkHours = rendered.parameters.usage.sparkHoursPerMonth;
  const lines = demand(rendered, 'typical').map(d => {
    const hours = d.alwaysOn ? HOURS_PER_MONTH : sparkHours;
    const hourly =
      d.cpu * prices.vcpuHour +
      d.memoryGiB * prices.gibHour +
      d.gpus * prices.gpuHour;
    const discount = d.spot ? 1 - prices.spotDiscount : 1;
    return {
      what: d.what,
      hours,
      cpu: cents(d.cpu),
      memoryGiB: cents(d.memoryGiB),
      gpus: d.gpus,
      spot: d.spot,
      monthly: cents(hourly * hours * discount),
    };
  });
  return {
    currency: prices.currency,
    monthly: cents(lines.reduce((sum, l) => sum + l.monthly, 0)),
    lines,
    assumptions: [
      `workloads run ${HOURS_PER_MONTH} h a month; Spark drivers and executors ${sparkHours} h (usage.sparkHoursPerMonth)`,
      'requests are priced (Kubernetes reserves them), with Spark memory overhead',
      `prices per hour: ${prices.vcpuHour} ${prices.currency}/vCPU, ${
        prices.gibHour
      }/GiB, ${prices.gpuHour}/GPU; spot ${Math.round(
        prices.spotDiscount * 100,
      )} % off`,
    ],
  };
}
