/** The variables of the runbooks' commands that the portal fills in; small, for the TechDocs addon. */

/** Runbook variables the portal can fill from an app, as the runbooks spell them (`$NS`). */
export const RUNBOOK_VARIABLES = [
  'NS',
  'APP_ID',
  'APP',
  'DRIVER_POD',
  'EXECUTOR_POD',
  'POD',
  'SA',
  'IMAGE',
] as const;

/** One of {@link RUNBOOK_VARIABLES}. */
export type RunbookVariable = (typeof RUNBOOK_VARIABLES)[number];

/**
 * Values a runbook page may show in place of its variables. Only names, ids and image
 * references pass: a link can fill in a command, never write one.
 */
export const RUNBOOK_VALUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,252}$/;
