export { displayStateOf } from './displayState';
export type { SparkDisplayState } from './displayState';
export { stageIndicators, valueAt } from './stageIndicators';
export type { StageIndicators } from './stageIndicators';
