export { displayStateOf } from './displayState';
export type { SparkDisplayState } from './displayState';
export { stageIndicators, valueAt } from './stageIndicators';
export type { StageIndicators } from './stageIndicators';
export {
  QUESTION_IDS,
  RUNBOOK_VARIABLES,
  RUNBOOK_VALUE_PATTERN,
  runbookValues,
  troubleshoot,
} from './troubleshooting';
export type {
  QuestionId,
  RunbookVariable,
  TroubleshootingEvidence,
  TroubleshootingFacts,
  TroubleshootingStep,
  TroubleshootingWalk,
} from './troubleshooting';
