/**
 * Diagnosis rules on real evidence: the demo runs (real Spark 4.3.0 and 3.5.9 runs, see
 * demo-data/README.md) read by the portal's own sources into SQLite. Each run must get the
 * diagnoses its job was written to show, and the healthy runs none of the problem rules.
 * The demo jobs are small, so the time and size thresholds are scaled down here, the way
 * `spark.diagnosis.rules` scales them in config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isRunbookId } from '@spark-k8s/plugin-spark-common';
import type { SparkDiagnosisInput } from '@spark-k8s/plugin-spark-node';
import {
  demoAppId,
  demoDataDir,
  loadDemoStore,
  readDemoManifest,
} from '../__testUtils__/demoStore';
import type { SparkStore } from '../store/SparkStore';
import { DiagnosisEngine } from './DiagnosisEngine';
import { DiagnosisService } from './DiagnosisService';
import { builtInRules } from './rules';
import { recommendSizing } from './sizing';

const smallRuns = {
  'data-skew': { ratio: 4, minMaxTaskMs: 1000 },
  spill: { minDiskBytes: 1024 * 1024 },
  'job-stuck': { minutes: 30 },
};

const runs = readDemoManifest().runs;
const run = (id: string) => runs.find(r => r.id === id)!;

describe('diagnosis rules on the demo runs', () => {
  let store: SparkStore;
  let close: () => Promise<void>;
  const engine = new DiagnosisEngine({ thresholds: smallRuns });
  let service: DiagnosisService;

  beforeAll(async () => {
    ({ store, close } = await loadDemoStore());
    service = new DiagnosisService(store, engine, {
      vcpuHour: 0.0252,
      gibHour: 0.014,
      currency: 'USD',
    });
  }, 120_000);
  afterAll(() => close?.());

  /** The input as the API builds it, an hour after the demo runs. */
  const inputOf = async (id: string): Promise<SparkDiagnosisInput> => {
    const input = await service.input(demoAppId(run(id)), undefined);
    const end = Date.parse(
      input.details.app.endTime ?? input.details.app.startTime!,
    );
    return { ...input, now: end + 3_600_000 };
  };
  const rulesFiring = async (id: string) =>
    engine.diagnose(await inputOf(id)).map(d => d.ruleId);

  it('ships at least 30 rules, each with a runbook that exists', () => {
    expect(builtInRules.length).toBeGreaterThanOrEqual(30);
    const missing = builtInRules.filter(rule => !isRunbookId(rule.runbookId));
    expect(missing.map(rule => rule.id)).toEqual([]);
    for (const rule of builtInRules) {
      expect({ id: rule.id, fix: rule.fix.trim().length > 20 }).toEqual({
        id: rule.id,
        fix: true,
      });
    }
  });

  it('documents every rule with its default thresholds in docs/diagnoses.md', () => {
    const doc = fs.readFileSync(
      path.join(demoDataDir(), '..', 'docs', 'diagnoses.md'),
      'utf8',
    );
    for (const rule of builtInRules) {
      const row = doc
        .split('\n')
        .find(line => line.startsWith(`| \`${rule.id}\``));
      expect({ rule: rule.id, documented: Boolean(row) }).toEqual({
        rule: rule.id,
        documented: true,
      });
      for (const [key, value] of Object.entries(rule.thresholds)) {
        expect(row).toContain(`\`${key}\`: ${value}`);
      }
    }
  });

  it('finds the skewed join, with the stage and its numbers', async () => {
    const [skew] = engine
      .diagnose(await inputOf('fraud-features-skewed-join'))
      .filter(d => d.ruleId === 'data-skew');
    expect(skew).toBeDefined();
    expect(skew.scope).toMatch(/^stage \d+\.0$/);
    expect(skew.runbookId).toBe('data-skew');
    expect(skew.evidence[0]).toEqual(
      expect.objectContaining({
        label: 'max / median task duration',
        source: expect.stringContaining('event log: stage'),
      }),
    );
  });

  it('finds the spill under tight memory', async () => {
    expect(await rulesFiring('marketing-attribution-spill')).toContain('spill');
  });

  it('finds the killed executor from the log and from its pod', async () => {
    const [lost] = engine
      .diagnose(await inputOf('feature-backfill-executor-lost'))
      .filter(d => d.ruleId === 'executor-lost');
    expect(lost.evidence.map(e => e.value).join(' ')).toContain('137');
    expect(lost.evidence.map(e => e.source).join(' ')).toContain(
      'SparkListenerExecutorRemoved',
    );
  });

  it("names the failing UDF's own error, not PySpark's wrapper", async () => {
    const [failed] = engine
      .diagnose(await inputOf('feature-backfill-failed'))
      .filter(d => d.ruleId === 'task-failures-high');
    expect(failed.severity).toBe('critical');
    expect(failed.evidence[0].value).toContain(
      "ValueError: feature row 4242: malformed event timestamp '2026-13-45'",
    );
  });

  it('finds the tiny tasks of the sandbox query', async () => {
    expect(await rulesFiring('sandbox-query')).toContain(
      'too-many-small-tasks',
    );
  });

  it('finds the streaming app whose driver died without closing its log', async () => {
    expect(await rulesFiring('clickstream-sessionizer-streaming')).toEqual([
      'job-stuck',
    ]);
    // Ten minutes after its last event it is not stuck yet.
    const input = await inputOf('clickstream-sessionizer-streaming');
    expect(engine.diagnose({ ...input, now: input.now - 50 * 60_000 })).toEqual(
      [],
    );
  });

  it.each(['settlement-etl-1', 'settlement-etl-2'])(
    'finds nothing wrong with the healthy ETL run %s',
    async id => {
      const problems = engine
        .diagnose(await inputOf(id))
        .filter(d => d.severity !== 'info');
      expect(problems).toEqual([]);
    },
  );

  it('does not call the skewed join or the spill at default thresholds on tiny runs', async () => {
    const defaults = new DiagnosisEngine();
    const fired = [
      ...defaults.diagnose(await inputOf('fraud-features-skewed-join')),
      ...defaults.diagnose(await inputOf('marketing-attribution-spill')),
    ].map(d => d.ruleId);
    expect(fired).not.toContain('data-skew');
    expect(fired).not.toContain('spill');
  });

  it('names the rule and the threshold when config is wrong', () => {
    expect(
      () => new DiagnosisEngine({ thresholds: { 'data-skew': { rate: 3 } } }),
    ).toThrow(
      'spark.diagnosis.rules.data-skew.rate: the rule has no such threshold (it has ratio, minMaxTaskMs)',
    );
    expect(() => new DiagnosisEngine({ thresholds: { nope: {} } })).toThrow(
      'spark.diagnosis.rules.nope: no such rule',
    );
  });

  it('keeps going when a rule throws', async () => {
    const errors: string[] = [];
    const broken = new DiagnosisEngine({
      rules: [
        {
          id: 'broken',
          title: 'Broken',
          severity: 'info',
          fix: 'none',
          runbookId: 'data-skew',
          thresholds: {},
          evaluate: () => {
            throw new Error('boom');
          },
        },
        ...builtInRules,
      ],
      thresholds: smallRuns,
      onRuleError: id => errors.push(id),
    });
    expect(
      broken
        .diagnose(await inputOf('marketing-attribution-spill'))
        .map(d => d.ruleId),
    ).toContain('spill');
    expect(errors).toEqual(['broken']);
  });

  describe('executor sizing', () => {
    it('asks for more heap after a spill, never less than the peak', async () => {
      const input = await inputOf('marketing-attribution-spill');
      const sizing = recommendSizing(input);
      expect(sizing.recommended.memoryMib).toBeGreaterThan(
        sizing.current.memoryMib,
      );
      expect(sizing.reasons.join(' ')).toContain('spilled');
      expect(sizing.conf['spark.executor.memory']).toBe(
        `${sizing.recommended.memoryMib}m`,
      );
    });

    it('never recommends below the observed peak heap', async () => {
      for (const r of runs) {
        const input = await inputOf(r.id);
        const peak = Math.max(
          0,
          ...input.details.executors.map(
            e => e.peakMemoryMetrics?.JVMHeapMemory ?? 0,
          ),
        );
        const sizing = recommendSizing(input);
        expect(
          sizing.recommended.memoryMib * 1024 * 1024,
        ).toBeGreaterThanOrEqual(peak);
      }
    });

    it('prices the difference with the configured prices', async () => {
      const sizing = await service.recommend(
        demoAppId(run('marketing-attribution-spill')),
        undefined,
      );
      const { current, recommended } = sizing.usage;
      const expected =
        (recommended.coreHours - current.coreHours) * 0.0252 +
        (recommended.memoryGibHours - current.memoryGibHours) * 0.014;
      expect(sizing.costDifference!.currency).toBe('USD');
      expect(sizing.costDifference!.amount).toBeCloseTo(expected, 4);
      expect(sizing.costDifference!.amount).toBeGreaterThan(0);
    });
  });
});
