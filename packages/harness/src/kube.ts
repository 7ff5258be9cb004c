import {
  ApiextensionsV1Api,
  CoreV1Api,
  KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  assertPortFree,
  cacheDir,
  freePort,
  HarnessError,
  makeTempDir,
  repoRoot,
  requireExecutable,
  RunningPart,
  startProcess,
  stopProcesses,
  waitFor,
  which,
} from './common';

const part = 'kube';

/** The Kubernetes version the harness builds (the `require` line of build/kube-apiserver/go.mod). */
export function kubeVersion(): string {
  const goMod = fs.readFileSync(
    path.join(
      repoRoot,
      'packages',
      'harness',
      'build',
      'kube-apiserver',
      'go.mod',
    ),
    'utf8',
  );
  const match = goMod.match(/^require k8s\.io\/kubernetes (v\S+)$/m);
  if (!match)
    throw new HarnessError(part, 'no k8s.io/kubernetes version in go.mod');
  return match[1];
}

export interface KubeApiserverOptions {
  /** Defaults to a free port. */
  port?: number;
  timeoutMs?: number;
}

export interface RunningKubeApiserver extends RunningPart {
  /** https://127.0.0.1:<port> */
  url: string;
  /** Bearer token of a cluster administrator (group system:masters). */
  adminToken: string;
  /** Bearer token of an authenticated user with no RBAC grants, for 403 tests. */
  unprivilegedToken: string;
  /** The apiserver's self-signed serving certificate, PEM, to trust it as a CA. */
  caPem: string;
  /** A kubeconfig file for the administrator. */
  kubeconfigPath: string;
  /** A client config for the administrator, or for another token. */
  kubeConfig(token?: string): KubeConfig;
}

/**
 * Starts etcd and the real kube-apiserver on loopback: token authentication, RBAC, and the
 * default admission chain, which includes Pod Security admission.
 */
export async function startKubeApiserver(
  options: KubeApiserverOptions = {},
): Promise<RunningKubeApiserver> {
  const version = kubeVersion();
  const apiserverBin = requireExecutable(
    part,
    path.join(cacheDir, 'kube', version, 'kube-apiserver'),
    'run packages/harness/scripts/install-kube.sh',
  );
  const etcdBin = which('etcd');
  if (!etcdBin) {
    throw new HarnessError(
      part,
      'etcd is not installed: run scripts/install-system-packages.sh (Debian package etcd-server)',
    );
  }
  // Generous: on a loaded 2-core machine etcd and the apiserver take minutes to get ready.
  const timeoutMs = options.timeoutMs ?? 240_000;
  const port = options.port ?? (await freePort());
  await assertPortFree(port, part);
  const [etcdClientPort, etcdPeerPort] = [await freePort(), await freePort()];

  const dir = makeTempDir(part);
  const etcd = startProcess(
    'etcd',
    etcdBin,
    [
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClientPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClientPort}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
    ],
    { logFile: path.join(dir, 'etcd.log') },
  );

  const adminToken = randomBytes(24).toString('hex');
  const unprivilegedToken = randomBytes(24).toString('hex');
  fs.writeFileSync(
    path.join(dir, 'tokens.csv'),
    `${adminToken},admin,1,system:masters\n${unprivilegedToken},developer,2,\n`,
  );
  // Service-account tokens need a signing key; a fresh one per start.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saKey = path.join(dir, 'sa.key');
  fs.writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }));

  const apiserver = startProcess(
    part,
    apiserverBin,
    [
      `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // No kubernetes Service endpoints: a loopback advertise address is not allowed there.
      '--endpoint-reconciler-type=none',
      `--secure-port=${port}`,
      `--cert-dir=${path.join(dir, 'certs')}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.96.0.0/24',
      '--allow-privileged=true',
    ],
    { logFile: path.join(dir, 'kube-apiserver.log') },
  );

  const url = `https://127.0.0.1:${port}`;
  let caPem = '';
  const stop = stopProcesses(dir, apiserver, etcd);
  try {
    await waitFor(
      'etcd',
      `etcd on 127.0.0.1:${etcdClientPort}`,
      async () =>
        (
          await fetch(`http://127.0.0.1:${etcdClientPort}/health`)
        ).ok
          ? true
          : undefined,
      { timeoutMs, process: etcd },
    );
    caPem = await waitFor(
      part,
      'the serving certificate',
      async () => {
        const file = path.join(dir, 'certs', 'apiserver.crt');
        return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      },
      { timeoutMs, process: apiserver },
    );
    const kubeConfig = (token = adminToken) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [
          {
            name: 'harness',
            server: url,
            caData: Buffer.from(caPem).toString('base64'),
          },
        ],
        users: [{ name: 'user', token }],
        contexts: [{ name: 'harness', cluster: 'harness', user: 'user' }],
        currentContext: 'harness',
      });
      return kc;
    };
    // /readyz waits for etcd, RBAC bootstrap and the built-in priority levels.
    await waitFor(
      part,
      `${url}/readyz`,
      async () => {
        const res = await kubeGet(kubeConfig(), '/readyz');
        return res.status === 200 ? true : undefined;
      },
      { timeoutMs, process: apiserver },
    );
    const kubeconfigPath = path.join(dir, 'kubeconfig.yaml');
    fs.writeFileSync(
      kubeconfigPath,
      stringify(JSON.parse(kubeConfig().exportConfig())),
    );
    return {
      url,
      adminToken,
      unprivilegedToken,
      caPem,
      kubeconfigPath,
      kubeConfig,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A GET to the apiserver with the config's credentials, for health probes. */
export function kubeGet(
  kc: KubeConfig,
  pathname: string,
): Promise<{ status: number; body: string }> {
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser()!;
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${cluster.server}${pathname}`,
      {
        ca: Buffer.from(cluster.caData!, 'base64'),
        headers: { authorization: `Bearer ${user.token}` },
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
  });
}

/**
 * Creates a namespace and its `default` service account. The harness runs no
 * controller-manager, which would create that account, and the ServiceAccount admission
 * plugin rejects pods in a namespace without it.
 */
export async function createNamespace(
  kc: KubeConfig,
  name: string,
  labels: Record<string, string> = {},
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels } } });
  await core.createNamespacedServiceAccount({
    namespace: name,
    body: { metadata: { name: 'default' } },
  });
}

/**
 * Creates CustomResourceDefinitions, or replaces those already there (versions the cluster
 * stored objects in stay listed, no longer the storage version), and waits until each is
 * Established and serves its versions: custom resources can be created right after.
 */
export async function installCrds(
  kc: KubeConfig,
  crds: V1CustomResourceDefinition[],
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const crd of crds) {
    const name = crd.metadata!.name!;
    const existing = await api
      .readCustomResourceDefinition({ name })
      .catch(() => undefined);
    if (!existing) {
      await api.createCustomResourceDefinition({ body: crd });
    } else {
      const versions = [
        ...crd.spec.versions,
        ...existing.spec.versions
          .filter(v => !crd.spec.versions.some(n => n.name === v.name))
          .map(v => ({ ...v, storage: false })),
      ];
      await api.replaceCustomResourceDefinition({
        name,
        body: { ...existing, spec: { ...crd.spec, versions } },
      });
    }
    await waitFor(
      part,
      `CRD ${name} to be Established`,
      async () => {
        const current = await api.readCustomResourceDefinition({ name });
        const served = crd.spec.versions.every(v =>
          current.spec.versions.some(c => c.name === v.name && c.served),
        );
        const established = current.status?.conditions?.some(
          c => c.type === 'Established' && c.status === 'True',
        );
        return served && established ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }
}

/**
 * The `kubernetes:` config block that names this kube-apiserver as the cluster `harness`, as a
 * real deployment's config would (the Kubernetes plugin and the Spark backend read it).
 */
export function harnessKubernetesConfig(
  kube: Pick<RunningKubeApiserver, 'url' | 'adminToken' | 'caPem'>,
) {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'harness',
            url: kube.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: kube.adminToken,
            caData: Buffer.from(kube.caPem).toString('base64'),
          },
        ],
      },
    ],
  };
}
