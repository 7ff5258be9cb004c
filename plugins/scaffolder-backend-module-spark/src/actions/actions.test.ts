import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { exampleInputs, runAction } from '../__testUtils__/actionContext';
import { PRESETS_DIR } from '../__testUtils__/presets';
import { readPriceModel } from '../cost/config';
import { DEFAULT_PRICE_MODEL } from '../cost/estimate';
import { readProvisioningClusters } from '../kubernetes/clusters';
import { PresetLibrary } from '../presets/PresetLibrary';
import { createApplyAction } from './apply';
import { createCostAction } from './cost';
import { createRenderAction } from './render';
import { createValidateAction } from './validate';

const library = PresetLibrary.fromDirectory(PRESETS_DIR);
const render = createRenderAction(library);
const validate = createValidateAction(library);
const cost = createCostAction(library, DEFAULT_PRICE_MODEL);

describe('spark:* actions', () => {
  it('all support dry-run', () => {
    expect([render, validate, cost].map(a => a.supportsDryRun)).toEqual([
      true,
      true,
      true,
    ]);
  });

  describe.each([
    ['render', render],
    ['validate', validate],
    ['cost', cost],
  ])('the examples of spark:%s', (_name, action) => {
    it.each(exampleInputs(action))('$description', async ({ inputs }) => {
      expect(inputs.length).toBeGreaterThan(0);
      for (const input of inputs) {
        await expect(runAction(action, input)).resolves.toBeDefined();
      }
    });
  });

  it('spark:preset:render outputs YAML and writes it into the workspace', async () => {
    const [{ inputs }] = exampleInputs(render).slice(1);
    const { outputs, workspacePath } = await runAction(render, inputs[0]);
    const docs = parseAllDocuments(outputs.manifests as string).map(d =>
      d.toJS(),
    );
    expect(docs).toEqual(outputs.objects);
    expect(docs[0]).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'team-ml' },
    });
    expect(
      fs.readFileSync(
        path.join(workspacePath, 'deploy', 'manifests.yaml'),
        'utf8',
      ),
    ).toBe(outputs.manifests);
    expect(
      fs.readFileSync(
        path.join(workspacePath, 'deploy', 'spark-defaults.conf'),
        'utf8',
      ),
    ).toContain('spark.kubernetes.namespace team-ml\n');
  });

  it('refuses a target path outside the workspace', async () => {
    const [{ inputs }] = exampleInputs(render).slice(1);
    await expect(
      runAction(render, { ...inputs[0], targetPath: '../../etc' }),
    ).rejects.toThrow(/outside/);
  });

  it('rejects bad parameters with every field named, as an InputError', async () => {
    await expect(
      runAction(render, {
        preset: 'batch-spark-operator',
        parameters: {
          name: 'Bad_Name',
          namespace: 'team-a',
          sparkVersion: '4.3.0',
          executor: { cores: 1000, memoryGiB: -1 },
          job: { arguments: ['$(id)'] },
          extra: true,
        },
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^invalid parameters for preset "batch-spark-operator": name must be a DNS-1035 label.*; executor\.cores must be at most 32 cores; executor\.memoryGiB must be at least 1 GiB; job\.arguments\[0\] may contain only .*; extra is not a known field$/,
      ),
    });
    await expect(
      runAction(render, { preset: 'nope', parameters: {} }),
    ).rejects.toThrow(
      /preset "nope" does not exist; presets: airflow-connect, /,
    );
  });

  it('spark:preset:validate fails on findings unless told not to', async () => {
    const input = exampleInputs(validate)[1].inputs[0];
    const { outputs } = await runAction(validate, input);
    expect(outputs.valid).toBe(false);
    expect(outputs.findings).toEqual([
      expect.objectContaining({
        rule: 'quota.fit',
        path: 'spec.hard["requests.cpu"]',
      }),
    ]);
    await expect(
      runAction(validate, { ...input, failOnError: true }),
    ).rejects.toThrow(
      /does not validate:\nerror quota\.fit ResourceQuota team-batch\/nightly-quota: spec\.hard\["requests\.cpu"\]/,
    );
  });

  it('spark:cost:estimate prices requests with the configured model', async () => {
    const input = {
      preset: 'batch-spark-operator',
      parameters: {
        name: 'jobs',
        namespace: 'team-a',
        sparkVersion: '4.3.0',
        driver: { cores: 1, memoryGiB: 2 },
        executor: { cores: 2, memoryGiB: 4, instances: 2 },
        usage: { sparkHoursPerMonth: 100 },
      },
    };
    const { outputs } = await runAction(cost, input);
    // Two apps (the SparkApplication and the scheduled one), each: driver 1 vCPU + 2.375 GiB
    // (Python overhead 0.4 -> max(384 MiB, 819 MiB)), 2 executors x (2 vCPU + 5.6 GiB), for 100 h.
    const driver = (1 * 0.0252 + ((2048 + 820) / 1024) * 0.014) * 100;
    const executors = 2 * (2 * 0.0252 + ((4096 + 1639) / 1024) * 0.014) * 100;
    expect(outputs.currency).toBe('USD');
    expect(outputs.monthly).toBeCloseTo(2 * (driver + executors), 1);

    const euros = createCostAction(
      library,
      readPriceModel(
        new ConfigReader({
          spark: {
            cost: {
              prices: { vcpuHour: 0.05 },
              spotDiscount: 0.5,
              currency: 'EUR',
            },
          },
        }),
      ),
    );
    const spot = await runAction(euros, {
      preset: 'cost-optimized',
      parameters: { name: 'jobs', namespace: 'team-a', sparkVersion: '4.3.0' },
    });
    expect(spot.outputs.currency).toBe('EUR');
    expect(
      (spot.outputs.lines as any[]).filter(l => l.spot).map(l => l.what),
    ).toEqual(['executors of SparkApplication team-a/jobs-job']);
  });

  it('refuses price models that make no sense', () => {
    expect(() =>
      readPriceModel(
        new ConfigReader({ spark: { cost: { spotDiscount: 1.5 } } }),
      ),
    ).toThrow('spark.cost.spotDiscount must be between 0 and 1, got 1.5');
    expect(() =>
      readPriceModel(
        new ConfigReader({ spark: { cost: { prices: { gibHour: -1 } } } }),
      ),
    ).toThrow(
      'spark.cost.prices.gibHour must be a number of at least 0, got -1',
    );
  });

  describe('spark:kubernetes:apply', () => {
    const clusters = readProvisioningClusters(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                // Nothing listens here: a denied or invalid request must fail before any call.
                {
                  name: 'nowhere',
                  url: 'https://127.0.0.1:1',
                  serviceAccountToken: 't',
                },
              ],
            },
          ],
        },
      }),
    );
    const input = {
      preset: 'batch-spark-operator',
      parameters: { name: 'jobs', namespace: 'team-a', sparkVersion: '4.3.0' },
    };

    it('is denied without spark.preset.provision, and audits the attempt', async () => {
      const auditor = mockServices.auditor.mock();
      const fail = jest.fn();
      auditor.createEvent.mockResolvedValue({ success: jest.fn(), fail });
      const permissions = mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.DENY }],
      });
      const apply = createApplyAction({
        library,
        clusters,
        permissions,
        auditor,
      });
      await expect(runAction(apply, input)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('spark.preset.provision'),
      });
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'spark-preset-provision',
        severityLevel: 'medium',
        meta: expect.objectContaining({
          preset: 'batch-spark-operator',
          namespace: 'team-a',
        }),
      });
      expect(fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'NotAllowedError' }),
      });
    });

    it('applies nothing when the preset does not validate', async () => {
      const auditor = mockServices.auditor.mock();
      auditor.createEvent.mockResolvedValue({
        success: jest.fn(),
        fail: jest.fn(),
      });
      const permissions = mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.ALLOW }],
      });
      const apply = createApplyAction({
        library,
        clusters,
        permissions,
        auditor,
      });
      await expect(
        runAction(apply, {
          ...input,
          parameters: {
            ...input.parameters,
            executor: { instances: 50, maxInstances: 50 },
            quota: { cpu: 8 },
          },
        }),
      ).rejects.toThrow(/does not validate; nothing was applied:\nquota\.fit/);
    });

    it('names the configured clusters when asked for another', async () => {
      const apply = createApplyAction({
        library,
        clusters,
        permissions: mockServices.permissions.mock(),
        auditor: mockServices.auditor.mock(),
      });
      await expect(
        runAction(apply, { ...input, cluster: 'prod' }),
      ).rejects.toThrow(
        'cluster "prod" is not configured; configured: nowhere',
      );
    });
  });
});
