/**
 * Scaffolder actions that render, validate, cost and apply Spark presets.
 *
 * @packageDocumentation
 */
export { scaffolderModuleSpark as default } from './module';
export { renderPreset, toYaml, PresetRenderError } from './render/render';
export type { RenderedPreset } from './render/render';
export type { RenderedObject } from './render/objects';
export type { SparkSetup } from './render/spark';
export {
  loadPresets,
  parsePreset,
  PresetFileError,
} from './presets/loadPresets';
export { validateRendered } from './validate/validate';
export type { ValidationFinding } from './validate/findings';
export { applyObjects } from './kubernetes/apply';
export type { ApplyOutcome, ApplyResult } from './kubernetes/apply';
export { estimateCost, DEFAULT_PRICE_MODEL } from './cost/estimate';
export type { CostEstimate, CostLine, PriceModel } from './cost/estimate';
