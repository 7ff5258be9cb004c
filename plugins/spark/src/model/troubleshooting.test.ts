import type {
  SparkDiagnosis,
  SparkKubernetesObject,
} from '@spark-k8s/plugin-spark-common';
import { RUNBOOK_IDS } from '@spark-k8s/plugin-spark-common';
import fs from 'node:fs';
import path from 'node:path';
import { appDetails, appSummary } from '../__testUtils__/fixtures';
import { RUNBOOK_VARIABLES } from './runbookVariables';
import {
  QUESTION_IDS,
  runbookValues,
  troubleshoot,
  type TroubleshootingFacts,
} from './troubleshooting';

function diagnosis(
  runbookId: string,
  severity: SparkDiagnosis['severity'] = 'warning',
): SparkDiagnosis {
  return {
    ruleId: runbookId,
    severity,
    title: runbookId,
    summary: '',
    evidence: [{ label: 'x', value: '1', source: 'event log: stage 1.0' }],
    runbookId,
  };
}

function pod(
  name: string,
  role: string,
  over: Partial<SparkKubernetesObject> = {},
): SparkKubernetesObject {
  return {
    cluster: 'prod-eu',
    namespace: 'payments-data',
    kind: 'Pod',
    apiVersion: 'v1',
    name,
    uid: name,
    appId: 'spark-0001',
    rawState: 'Running',
    state: 'RUNNING',
    details: {
      role,
      serviceAccountName: 'spark-driver',
      containers: [{ name: 'spark', image: 'apache/spark:4.0.1' }],
    },
    updatedAt: '2026-11-24T09:06:00Z',
    ...over,
  };
}

const succeeded = (over: Partial<TroubleshootingFacts> = {}) => ({
  app: appSummary(),
  failures: [],
  kubernetes: [],
  diagnoses: [],
  earlierRuns: [],
  ...over,
});

describe('troubleshoot', () => {
  it('answers from the data what the data proves and ends at the diagnosis runbook', () => {
    const details = appDetails();
    const walk = troubleshoot(
      {
        ...details,
        diagnoses: [
          diagnosis('data-skew', 'info'),
          diagnosis('executor-oom-killed', 'critical'),
        ],
        earlierRuns: [],
      },
      {},
    );
    expect(walk.steps).toEqual([
      {
        question: 'symptom',
        answer: 'failed',
        answeredBy: 'data',
        evidence: { kind: 'state', state: 'FAILED' },
      },
      expect.objectContaining({
        question: 'failedWhere',
        answer: 'executors',
        answeredBy: 'data',
      }),
      expect.objectContaining({
        question: 'executorsWhy',
        answer: 'oomKilled',
        answeredBy: 'data',
      }),
    ]);
    expect(walk.next).toBeUndefined();
    expect(walk.conclusion?.runbookId).toBe('executor-oom-killed');
    expect(walk.alsoRelevant).toEqual(['data-skew']);
  });

  it('asks only the questions the data cannot answer', () => {
    const facts = succeeded({ diagnoses: [diagnosis('data-skew')] });
    const first = troubleshoot(facts, {});
    expect(first.steps).toEqual([]);
    expect(first.next?.question).toBe('symptom');
    // An app is known: symptoms that need no app are not offered.
    expect(first.next?.options).toEqual([
      'failed',
      'stuck',
      'slow',
      'expensive',
      'late',
    ]);

    const second = troubleshoot(facts, { symptom: 'slow', slowWhere: 'spill' });
    expect(second.steps.map(s => [s.question, s.answer, s.answeredBy])).toEqual(
      [
        ['symptom', 'slow', 'you'],
        // The diagnosis wins over an answer the person gave before.
        ['slowWhere', 'skew', 'data'],
      ],
    );
    expect(second.conclusion?.runbookId).toBe('data-skew');
  });

  it('classifies failures by their messages when no rule fired', () => {
    const walk = troubleshoot(
      succeeded({
        app: appSummary({ state: 'FAILED' }),
        failures: [
          {
            scope: 'task',
            reason: 'ExceptionFailure',
            message:
              'java.nio.file.AccessDeniedException: s3a://lake/events: getFileStatus on s3a://lake/events: com.amazonaws.services.s3.model.AmazonS3Exception: Forbidden (Service: Amazon S3; Status Code: 403; Error Code: 403 Forbidden)',
            count: 4,
          },
        ],
      }),
      {},
    );
    expect(walk.steps.map(s => s.answer)).toEqual([
      'failed',
      'code',
      's3Denied',
    ]);
    expect(walk.steps[2].evidence).toMatchObject({
      kind: 'message',
      where: 'task',
    });
    expect(walk.conclusion?.runbookId).toBe('s3-access-denied');
  });

  it('asks what the error says when the messages match nothing it knows', () => {
    const walk = troubleshoot(
      succeeded({
        app: appSummary({ state: 'FAILED' }),
        failures: [
          { scope: 'job', reason: 'JobFailed', message: 'boom', count: 1 },
        ],
      }),
      {},
    );
    expect(walk.next?.question).toBe('errorKind');
    expect(
      troubleshoot(
        succeeded({
          app: appSummary({ state: 'FAILED' }),
          failures: [
            { scope: 'job', reason: 'JobFailed', message: 'boom', count: 1 },
          ],
        }),
        { errorKind: 'metastore' },
      ).conclusion?.runbookId,
    ).toBe('hive-metastore-unavailable');
  });

  it('finds Pending pods and reads why from the pod conditions', () => {
    const pending = pod('etl-driver', 'driver', {
      rawState: 'Pending',
      state: 'PENDING',
      details: {
        role: 'driver',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient memory.',
          },
        ],
      },
    });
    const walk = troubleshoot(
      succeeded({
        app: appSummary({ state: 'PENDING' }),
        kubernetes: [pending],
      }),
      {},
    );
    expect(walk.steps.map(s => s.answer)).toEqual([
      'stuck',
      'pending',
      'scheduling',
    ]);
    expect(walk.steps[1].evidence).toEqual({
      kind: 'pendingPod',
      pod: 'payments-data/etl-driver',
      reason: '0/3 nodes are available: 3 Insufficient memory.',
    });
    expect(walk.conclusion?.runbookId).toBe('pods-unschedulable');
  });

  it('says a SparkApplication without pods was never reconciled', () => {
    const application = {
      ...appDetails().kubernetes[0],
      rawState: '',
      state: 'SUBMITTED' as const,
    };
    const walk = troubleshoot(
      succeeded({
        app: appSummary({ state: 'SUBMITTED' }),
        kubernetes: [application],
      }),
      {},
    );
    expect(walk.conclusion?.runbookId).toBe('operator-not-reconciling');
    expect(walk.steps[1].evidence).toEqual({
      kind: 'noPods',
      object: 'payments-data/settlement-etl-20261124',
    });
  });

  it('compares the duration with earlier runs of the same Component', () => {
    const earlierRuns = [20, 30, 25].map(minutes =>
      appSummary({ durationMs: minutes * 60_000 }),
    );
    const slow = troubleshoot(
      succeeded({ app: appSummary({ durationMs: 75 * 60_000 }), earlierRuns }),
      { symptom: 'slow', slowWhere: 'unknown' },
    );
    expect(slow.steps[2]).toEqual({
      question: 'slowBaseline',
      answer: 'regression',
      answeredBy: 'data',
      evidence: { kind: 'duration', ratio: 3, runs: 3 },
    });
    expect(slow.conclusion?.runbookId).toBe('duration-regression');

    const usual = troubleshoot(
      succeeded({ app: appSummary({ durationMs: 26 * 60_000 }), earlierRuns }),
      { symptom: 'slow', slowWhere: 'unknown' },
    );
    expect(usual.steps[2].answer).toBe('always');

    // Between "as usual" and "regressed" the data proves neither: the person is asked.
    const between = troubleshoot(
      succeeded({ app: appSummary({ durationMs: 33 * 60_000 }), earlierRuns }),
      { symptom: 'slow', slowWhere: 'unknown' },
    );
    expect(between.next?.question).toBe('slowBaseline');
  });

  it('starts from a symptom alone and asks everything', () => {
    const facts = {
      failures: [],
      kubernetes: [],
      diagnoses: [],
      earlierRuns: [],
    };
    const first = troubleshoot(facts, {});
    expect(first.next?.options).toContain('notebook');
    const walk = troubleshoot(facts, {
      symptom: 'notebook',
      notebookWhat: 'connect',
    });
    expect(walk.steps.every(s => s.answeredBy === 'you')).toBe(true);
    expect(walk.conclusion?.runbookId).toBe('spark-connect-unavailable');
  });

  it('reaches only runbooks of the catalogue, from every question', () => {
    // Walk every answer path without an app: each ends at a runbook, never in a loop.
    const ends = new Set<string>();
    const visit = (answers: Record<string, string>, depth: number) => {
      expect(depth).toBeLessThan(QUESTION_IDS.length);
      const walk = troubleshoot(
        { failures: [], kubernetes: [], diagnoses: [], earlierRuns: [] },
        answers,
      );
      if (walk.conclusion) {
        ends.add(walk.conclusion.runbookId);
        return;
      }
      for (const option of walk.next!.options) {
        visit({ ...answers, [walk.next!.question]: option }, depth + 1);
      }
    };
    visit({}, 0);
    for (const id of ends) expect(RUNBOOK_IDS).toContain(id);
    expect(ends.size).toBeGreaterThan(30);
  });
});

describe('runbookValues', () => {
  it('fills only variables the runbooks use, in both languages', () => {
    const docs = path.resolve(__dirname, '../../../../runbooks/docs');
    for (const language of ['en', 'ru']) {
      const pages = fs
        .readdirSync(path.join(docs, language))
        .map(name => fs.readFileSync(path.join(docs, language, name), 'utf8'))
        .join('\n');
      for (const name of RUNBOOK_VARIABLES) {
        expect({
          language,
          name,
          used: new RegExp(`\\$${name}\\b`).test(pages),
        }).toEqual({
          language,
          name,
          used: true,
        });
      }
    }
  });

  it('fills the runbook variables from the app and its Kubernetes objects', () => {
    const details = appDetails();
    const values = runbookValues({
      ...details,
      kubernetes: [
        ...details.kubernetes,
        pod('settlement-etl-driver', 'driver'),
        pod('settlement-etl-exec-1', 'executor'),
        pod('settlement-etl-exec-2', 'executor', { state: 'FAILED' }),
      ],
      diagnoses: [],
      earlierRuns: [],
    });
    expect(values).toEqual({
      NS: 'payments-data',
      APP_ID: 'spark-0001',
      APP: 'settlement-etl-20261124',
      DRIVER_POD: 'settlement-etl-driver',
      EXECUTOR_POD: 'settlement-etl-exec-2',
      POD: 'settlement-etl-exec-2',
      SA: 'spark-driver',
      IMAGE: 'apache/spark:4.0.1',
    });
  });

  it('drops values that could write a command instead of filling one in', () => {
    const values = runbookValues({
      app: appSummary({ namespace: 'payments; rm -rf /', id: 'k8s:c:ns:x' }),
      failures: [],
      kubernetes: [],
      diagnoses: [],
      earlierRuns: [],
    });
    expect(values).toEqual({});
  });
});
