import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  assertPortFree,
  freePort,
  HarnessError,
  makeTempDir,
  requireExecutable,
  RunningPart,
  startProcess,
  stopProcesses,
  waitFor,
  which,
} from './common';

const part = 'prometheus';
const installHint =
  'run scripts/install-system-packages.sh (installs the Debian package prometheus)';

function findBinary(name: string): string {
  return requireExecutable(
    part,
    which(name) ?? `/usr/bin/${name}`,
    installHint,
  );
}

/** Path of `promtool` (PATH first, then Debian's /usr/bin). */
export function promtoolPath(): string {
  return findBinary('promtool');
}

/** Path of the `prometheus` server (PATH first, then Debian's /usr/bin). */
export function prometheusPath(): string {
  return findBinary('prometheus');
}

export interface PromtoolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs promtool; a non-zero exit is returned in `code`, not thrown. */
export async function runPromtool(
  args: string[],
  cwd?: string,
): Promise<PromtoolResult> {
  const promtool = promtoolPath();
  return new Promise((resolve, reject) => {
    execFile(
      promtool,
      args,
      { cwd, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) resolve({ code: 0, stdout, stderr });
        else if (typeof error.code === 'number')
          resolve({ code: error.code, stdout, stderr });
        else
          reject(
            new HarnessError(
              part,
              `could not run ${promtool}: ${error.message}`,
            ),
          );
      },
    );
  });
}

/** A Prometheus configuration: YAML text or an object, or a function of the server's own address. */
export type PrometheusConfig =
  | string
  | Record<string, unknown>
  | ((self: {
      address: string;
      port: number;
    }) => string | Record<string, unknown>);

export interface PrometheusOptions {
  /** Default: 1s scrape/evaluation intervals and one job, `prometheus`, scraping the server itself. */
  config?: PrometheusConfig;
  /** Rule files (paths); appended to the config's `rule_files`. */
  rules?: string[];
  /** Defaults to a free port. */
  port?: number;
  timeoutMs?: number;
}

export interface RunningPrometheus extends RunningPart {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  configFile: string;
}

function defaultConfig(self: { address: string }): Record<string, unknown> {
  return {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [self.address] }] },
    ],
  };
}

/** Starts a Prometheus server on 127.0.0.1 with temporary storage; resolves once `/-/ready` answers. */
export async function startPrometheus(
  options: PrometheusOptions = {},
): Promise<RunningPrometheus> {
  const prometheus = prometheusPath();
  const port = options.port ?? (await freePort());
  await assertPortFree(port, part);
  const address = `127.0.0.1:${port}`;
  const url = `http://${address}`;

  const given = options.config ?? defaultConfig;
  const resolved =
    typeof given === 'function' ? given({ address, port }) : given;
  const config: Record<string, unknown> =
    typeof resolved === 'string' ? YAML.parse(resolved) ?? {} : { ...resolved };
  if (options.rules?.length) {
    const existing = (config.rule_files as string[] | undefined) ?? [];
    config.rule_files = [
      ...existing,
      ...options.rules.map(file => path.resolve(file)),
    ];
  }

  const tempDir = makeTempDir(part);
  const configFile = path.join(tempDir, 'prometheus.yml');
  fs.writeFileSync(configFile, YAML.stringify(config));

  const server = startProcess(
    part,
    prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(tempDir, 'data')}`,
      `--web.listen-address=${address}`,
    ],
    { cwd: tempDir, logFile: path.join(tempDir, 'prometheus.log') },
  );
  const stop = stopProcesses(tempDir, server);

  try {
    await waitFor(
      part,
      `${url}/-/ready`,
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      { timeoutMs: options.timeoutMs ?? 60_000, process: server },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, configFile, stop };
}
