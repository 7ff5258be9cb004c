import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  SparkAppDetails,
  SparkAppSummary,
  SparkDiagnosisEvidence,
  SparkDiagnosisSeverity,
} from '@spark-k8s/plugin-spark-common';

/**
 * What a diagnosis rule looks at: one app as the store knows it, its redacted Spark conf, and the
 * recent runs of the same Component (for rules about repetition).
 *
 * @public
 */
export interface SparkDiagnosisInput {
  /** The app with jobs, stages (task quantiles), executors, failures and Kubernetes objects. */
  details: SparkAppDetails;
  /** `spark.*` conf of the app (redacted), empty when no event log was read. */
  sparkConf: Record<string, string>;
  /** Earlier runs of the same Component, newest first, without this one. */
  previousRuns: SparkAppSummary[];
  /** Epoch milliseconds the diagnosis is made at (rules about time use it, never the clock). */
  now: number;
}

/**
 * One finding of a rule; the engine adds the rule's id, title, severity, fix and runbook.
 *
 * @public
 */
export interface SparkDiagnosisFinding {
  /** One or two sentences: what happened, in this app's numbers. */
  summary: string;
  /** The numbers and where they came from. */
  evidence: SparkDiagnosisEvidence[];
  /** The stage, executor or pod the finding is about, e.g. `stage 3.0`. */
  scope?: string;
  /** Overrides the rule's severity for this finding. */
  severity?: SparkDiagnosisSeverity;
}

/**
 * A diagnosis rule: a pure function from an app to findings, with thresholds from config
 * (`spark.diagnosis.rules.<id>.<threshold>`) over its defaults.
 *
 * @public
 */
export interface SparkDiagnosisRule<
  T extends Record<string, number> = Record<string, number>,
> {
  /** Stable id, e.g. `data-skew`; also the key of its config. */
  id: string;
  /** One line for people, e.g. `Data skew`. */
  title: string;
  /** How bad its findings are, unless a finding says otherwise. */
  severity: SparkDiagnosisSeverity;
  /** What to change, in one sentence. */
  fix: string;
  /** The runbook page that explains and fixes it (an id of the runbooks site). */
  runbookId: string;
  /** Default thresholds; config overrides any of them. */
  thresholds: T;
  /** Findings for one app; empty when the rule does not apply. Must not throw on odd input. */
  evaluate(input: SparkDiagnosisInput, thresholds: T): SparkDiagnosisFinding[];
}

/**
 * Lets backend modules add diagnosis rules to the Spark backend.
 *
 * @public
 */
export interface SparkDiagnosisRulesExtensionPoint {
  /** Adds rules; their ids must be unique among all rules. */
  addRule(...rules: SparkDiagnosisRule<any>[]): void;
}

/**
 * The extension point for {@link SparkDiagnosisRulesExtensionPoint}.
 *
 * @public
 */
export const sparkDiagnosisRulesExtensionPoint =
  createExtensionPoint<SparkDiagnosisRulesExtensionPoint>({
    id: 'spark.diagnosis-rules',
  });
