import { parametersFor, presetMatrix, presets } from '../__testUtils__/presets';
import { renderPreset, type RenderedPreset } from '../render/render';
import { validateRendered } from './validate';

function render(name: string, extra: Record<string, unknown> = {}) {
  const preset = presets.get(name)!;
  return renderPreset(
    preset,
    parametersFor(preset, preset.sparkVersions[0], extra),
  );
}

function find(rendered: RenderedPreset, kind: string, name: string): any {
  const found = rendered.objects.find(
    o => o.kind === kind && o.metadata.name === name,
  );
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

describe('validateRendered', () => {
  it.each(presetMatrix)(
    'finds nothing wrong with %s for Spark %s',
    (name, version) => {
      const preset = presets.get(name)!;
      const rendered = renderPreset(
        preset,
        parametersFor(preset, version, {
          quota: { cpu: 200, memoryGiB: 1024, gpus: 8 },
        }),
      );
      expect(validateRendered(rendered)).toEqual([]);
    },
  );

  it('names the container field that breaks Pod Security "restricted"', () => {
    const rendered = render('jupyter-connect-kubernetes');
    const connect = find(rendered, 'Deployment', 'team-a-connect');
    connect.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation =
      true;
    connect.spec.template.spec.containers[0].securityContext.capabilities = {
      add: ['SYS_ADMIN'],
    };
    connect.spec.template.spec.volumes.push({
      name: 'host',
      hostPath: { path: '/' },
    });
    expect(validateRendered(rendered)).toEqual([
      {
        severity: 'error',
        rule: 'pss.restricted.volumes',
        object: 'Deployment ns-jupyter-connect-kubernetes/team-a-connect',
        path: 'spec.template.spec.volumes[3].hostPath',
        message: expect.stringContaining(
          'volume type "hostPath" is not allowed',
        ),
      },
      expect.objectContaining({
        rule: 'pss.restricted.allowPrivilegeEscalation',
        path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
        message: 'must be false',
      }),
      expect.objectContaining({
        rule: 'pss.restricted.capabilities',
        path: 'spec.template.spec.containers[0].securityContext.capabilities.drop',
      }),
      expect.objectContaining({
        rule: 'pss.restricted.capabilities',
        path: 'spec.template.spec.containers[0].securityContext.capabilities.add[0]',
        message: 'must not add "SYS_ADMIN" (only NET_BIND_SERVICE)',
      }),
    ]);
  });

  it('checks the pod templates inside the Spark ConfigMap and SparkApplications', () => {
    const rendered = render('batch-spark-operator');
    const app = find(rendered, 'SparkApplication', 'team-a-job');
    delete app.spec.executor.podSecurityContext.seccompProfile;
    app.spec.executor.securityContext.seccompProfile = { type: 'Unconfined' };
    const conf = find(rendered, 'ConfigMap', 'team-a-spark-conf');
    conf.data['driver-pod-template.yaml'] = conf.data[
      'driver-pod-template.yaml'
    ].replace('runAsNonRoot: true', 'runAsNonRoot: false');
    expect(
      validateRendered(rendered).map(f => `${f.object}: ${f.path}`),
    ).toEqual([
      'ConfigMap ns-batch-spark-operator/team-a-spark-conf: data["driver-pod-template.yaml"].spec.containers[0].securityContext.runAsNonRoot',
      'SparkApplication ns-batch-spark-operator/team-a-job: spec.executor.securityContext.seccompProfile.type',
    ]);
  });

  it('applies the OpenShift restricted-v2 rules to the OpenShift preset only', () => {
    const openshift = render('openshift-restricted');
    expect(validateRendered(openshift)).toEqual([]);
    const jupyter = find(openshift, 'Deployment', 'team-a-jupyter');
    jupyter.spec.template.spec.securityContext.runAsUser = 1000;
    jupyter.spec.template.spec.securityContext.fsGroup = 100;
    jupyter.spec.template.spec.containers[0].volumeMounts = [];
    expect(validateRendered(openshift).map(f => [f.rule, f.path])).toEqual([
      [
        'openshift.writable-tmp',
        'spec.template.spec.containers[0].volumeMounts',
      ],
      [
        'openshift.arbitrary-uid',
        'spec.template.spec.securityContext.runAsUser',
      ],
      ['openshift.arbitrary-uid', 'spec.template.spec.securityContext.fsGroup'],
    ]);
    // The same pinned UID is fine under plain "restricted".
    const restricted = render('jupyter-connect-kubernetes');
    expect(
      find(restricted, 'Deployment', 'team-a-jupyter').spec.template.spec
        .securityContext.runAsUser,
    ).toBe(1000);
  });

  it('rejects a root init container', () => {
    const rendered = render('hive-metastore');
    const backup = find(rendered, 'CronJob', 'team-a-metastore-backup');
    backup.spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsUser = 0;
    expect(validateRendered(rendered)).toEqual([
      expect.objectContaining({
        rule: 'openshift.root-init-container',
        path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsUser',
      }),
    ]);
  });

  it('says by how much the peak demand misses the quota', () => {
    const rendered = render('cost-optimized', {
      executor: { cores: 4, instances: 1, maxInstances: 20 },
      quota: { cpu: 16 },
    });
    expect(validateRendered(rendered)).toEqual([
      {
        severity: 'error',
        rule: 'quota.fit',
        object: 'ResourceQuota ns-cost-optimized/team-a-quota',
        path: 'spec.hard["requests.cpu"]',
        message: expect.stringMatching(
          /^the environment needs 81 cores at peak but the quota allows 16 cores; raise parameters\.quota\.cpu/,
        ),
      },
    ]);
  });
});
