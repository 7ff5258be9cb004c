/**
 * Preset benchmark:
 * - render + validate: every preset × each of its Spark versions, ROUNDS rounds; per-round
 *   time (median, p95) and per-environment time;
 * - one full template dry-run (`spark-batch-spark-operator`) through the scaffolder HTTP API of
 *   a real Backstage backend (catalog + scaffolder + the Spark module, SQLite in memory), whose
 *   spark:kubernetes:apply step server-side dry-runs against the harness's kube-apiserver.
 * Prints the numbers; writes them to test-results/bench/presets.json. Never a test.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  freePort,
  harnessKubernetesConfig,
  makeTempDir,
  removeDir,
  startKubeApiserver,
} from '@spark-k8s/harness';
import {
  loadPresets,
  renderPreset,
  validateRendered,
} from '@spark-k8s/plugin-scaffolder-backend-module-spark';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const repoRoot = path.resolve(__dirname, '../..');
const ROUNDS = Number(process.env.ROUNDS ?? 50);
const DRY_RUNS = Number(process.env.DRY_RUNS ?? 5);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

function benchRender() {
  const presets = [...loadPresets(path.join(repoRoot, 'presets')).values()];
  const cases = presets.flatMap(preset =>
    preset.sparkVersions.map(version => ({
      preset,
      parameters: {
        name: 'bench',
        namespace: `bench-${preset.name}`,
        sparkVersion: version,
        quota: { cpu: 400, memoryGiB: 2048, gpus: 16 },
        storage: {
          endpoint: 'http://minio.storage:9000',
          eventLogDir: 's3a://spark-events/bench',
          warehouseDir: 's3a://lake/bench',
          backupDir: 's3a://backups/bench',
        },
      },
    })),
  );
  const rounds: number[] = [];
  let objects = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    objects = 0;
    for (const c of cases) {
      const rendered = renderPreset(c.preset, c.parameters);
      const findings = validateRendered(rendered);
      if (findings.length > 0) {
        throw new Error(`${c.preset.name}: ${JSON.stringify(findings)}`);
      }
      objects += rendered.objects.length;
    }
    rounds.push(performance.now() - started);
  }
  return {
    environments: cases.length,
    objects,
    rounds: ROUNDS,
    medianMs: quantile(rounds, 0.5),
    p95Ms: quantile(rounds, 0.95),
    perEnvironmentMs: quantile(rounds, 0.5) / cases.length,
  };
}

async function benchTemplateDryRun() {
  const kube = await startKubeApiserver();
  const dir = makeTempDir('bench-presets');
  const port = await freePort();
  const configFile = path.join(dir, 'app-config.yaml');
  fs.writeFileSync(
    configFile,
    stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database: { client: 'better-sqlite3', connection: ':memory:' },
        // Benchmark-only backend on loopback: requests need no token.
        auth: { dangerouslyDisableDefaultAuthPolicy: true },
      },
      catalog: {
        rules: [{ allow: ['Template', 'Location', 'Component'] }],
        locations: [],
      },
      kubernetes: harnessKubernetesConfig(kube),
      spark: { presets: { directory: path.join(repoRoot, 'presets') } },
    }),
  );
  process.argv.push('--config', configFile);
  // The backend's request and task logs would bury the numbers.
  process.env.LOG_LEVEL ??= 'warn';
  const backend = createBackend();
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  );
  backend.add(import('@backstage/plugin-scaffolder-backend'));
  backend.add(import('@spark-k8s/plugin-scaffolder-backend-module-spark'));
  await backend.start();
  try {
    const template = parse(
      fs.readFileSync(
        path.join(
          repoRoot,
          'templates',
          'batch-spark-operator',
          'template.yaml',
        ),
        'utf8',
      ),
    );
    const times: number[] = [];
    for (let i = 0; i < DRY_RUNS; i++) {
      const started = performance.now();
      const res = await fetch(
        `http://127.0.0.1:${port}/api/scaffolder/v2/dry-run`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            template,
            values: {
              name: 'bench',
              namespace: 'bench-dry-run',
              owner: 'group:default/data-platform',
              sparkVersion: '4.3.0',
            },
            secrets: {},
            directoryContents: [],
          }),
        },
      );
      const body = await res.json();
      if (res.status !== 200) {
        throw new Error(
          `dry-run answered ${res.status}: ${JSON.stringify(body)}`,
        );
      }
      times.push(performance.now() - started);
    }
    return {
      template: template.metadata.name,
      runs: DRY_RUNS,
      firstMs: times[0],
      medianMs: quantile(times.slice(1), 0.5),
    };
  } finally {
    await backend.stop();
    await kube.stop();
    removeDir(dir);
  }
}

async function main() {
  const render = benchRender();
  console.log(
    `render + validate: ${render.environments} preset × version environments (${render.objects} objects) per round; ` +
      `median ${ms(render.medianMs)}, p95 ${ms(render.p95Ms)} over ${
        render.rounds
      } rounds; ` +
      `${ms(render.perEnvironmentMs)} per environment`,
  );
  const dryRun = await benchTemplateDryRun();
  console.log(
    `template dry-run (${dryRun.template}, scaffolder HTTP API, server-side dry-run apply): ` +
      `first ${ms(dryRun.firstMs)}, then median ${ms(dryRun.medianMs)} over ${
        dryRun.runs - 1
      } runs`,
  );
  const out = path.join(repoRoot, 'test-results', 'bench');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, 'presets.json'),
    `${JSON.stringify({ render, dryRun }, null, 2)}\n`,
  );
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
