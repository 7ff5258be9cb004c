export { displayStateOf } from './displayState';
export type { SparkDisplayState } from './displayState';
export { stageIndicators, valueAt } from './stageIndicators';
export type { StageIndicators } from './stageIndicators';
export { RUNBOOK_VARIABLES, RUNBOOK_VALUE_PATTERN } from './runbookVariables';
export type { RunbookVariable } from './runbookVariables';
export { QUESTION_IDS, runbookValues, troubleshoot } from './troubleshooting';
export type {
  QuestionId,
  TroubleshootingEvidence,
  TroubleshootingFacts,
  TroubleshootingStep,
  TroubleshootingWalk,
} from './troubleshooting';
