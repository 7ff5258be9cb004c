import type { Config } from '@backstage/config';
import type {
  SparkDiagnosis,
  SparkDiagnosisSeverity,
} from '@spark-k8s/plugin-spark-common';
import type {
  SparkDiagnosisInput,
  SparkDiagnosisRule,
} from '@spark-k8s/plugin-spark-node';
import { builtInRules } from './rules';

const SEVERITY_ORDER: Record<SparkDiagnosisSeverity, number> = {
  critical: 0,
  warning: 1,
  info: 2,
};

export interface DiagnosisEngineOptions {
  rules?: SparkDiagnosisRule<any>[];
  /** Per rule id, thresholds that replace the rule's defaults. */
  thresholds?: Record<string, Record<string, number>>;
  /** Rule ids that never run. */
  disabled?: string[];
  /** Told when a rule throws; the other rules still run. */
  onRuleError?: (ruleId: string, error: unknown) => void;
}

/**
 * Runs diagnosis rules over one app. Rules are pure: the same input gives the same findings,
 * whatever else the engine runs.
 */
export class DiagnosisEngine {
  readonly rules: readonly SparkDiagnosisRule<any>[];
  private readonly thresholds: Record<string, Record<string, number>>;
  private readonly onRuleError?: (ruleId: string, error: unknown) => void;

  constructor(options: DiagnosisEngineOptions = {}) {
    const disabled = new Set(options.disabled ?? []);
    const rules = (options.rules ?? builtInRules).filter(
      rule => !disabled.has(rule.id),
    );
    const ids = new Set<string>();
    for (const rule of rules) {
      if (ids.has(rule.id))
        throw new Error(`two diagnosis rules have the id ${rule.id}`);
      ids.add(rule.id);
    }
    for (const [id, values] of Object.entries(options.thresholds ?? {})) {
      const rule = rules.find(r => r.id === id);
      if (!rule) throw new Error(`spark.diagnosis.rules.${id}: no such rule`);
      for (const key of Object.keys(values)) {
        if (!(key in rule.thresholds)) {
          throw new Error(
            `spark.diagnosis.rules.${id}.${key}: the rule has no such threshold (it has ${
              Object.keys(rule.thresholds).join(', ') || 'none'
            })`,
          );
        }
      }
    }
    this.rules = rules;
    this.thresholds = options.thresholds ?? {};
    this.onRuleError = options.onRuleError;
  }

  /** `spark.diagnosis` config: `rules.<id>.<threshold>` numbers and a `disabled` list. */
  static fromConfig(
    config: Config,
    extraRules: SparkDiagnosisRule<any>[] = [],
    onRuleError?: DiagnosisEngineOptions['onRuleError'],
  ): DiagnosisEngine {
    const diagnosis = config.getOptionalConfig('spark.diagnosis');
    const thresholds: Record<string, Record<string, number>> = {};
    const rulesConfig = diagnosis?.getOptionalConfig('rules');
    for (const id of rulesConfig?.keys() ?? []) {
      const ruleConfig = rulesConfig!.getConfig(id);
      thresholds[id] = Object.fromEntries(
        ruleConfig.keys().map(key => [key, ruleConfig.getNumber(key)]),
      );
    }
    return new DiagnosisEngine({
      rules: [...builtInRules, ...extraRules],
      thresholds,
      disabled: diagnosis?.getOptionalStringArray('disabled'),
      onRuleError,
    });
  }

  diagnose(input: SparkDiagnosisInput): SparkDiagnosis[] {
    const found: SparkDiagnosis[] = [];
    for (const rule of this.rules) {
      let findings;
      try {
        findings = rule.evaluate(input, {
          ...rule.thresholds,
          ...this.thresholds[rule.id],
        });
      } catch (error) {
        this.onRuleError?.(rule.id, error);
        continue;
      }
      for (const finding of findings) {
        found.push({
          ruleId: rule.id,
          severity: finding.severity ?? rule.severity,
          title: rule.title,
          summary: finding.summary,
          evidence: finding.evidence,
          fix: rule.fix,
          runbookId: rule.runbookId,
          scope: finding.scope,
        });
      }
    }
    return found.sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
  }
}
