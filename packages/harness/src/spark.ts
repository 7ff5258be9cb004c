import fs from 'node:fs';
import path from 'node:path';
import {
  assertPortFree,
  cacheDir,
  freePort,
  HarnessError,
  makeTempDir,
  removeDir,
  repoRoot,
  requireExecutable,
  RunningPart,
  startProcess,
  stopProcesses,
  waitFor,
  which,
} from './common';

const installHint = 'run packages/harness/scripts/install-spark.sh';
const requirementsDir = path.join(repoRoot, 'packages', 'harness', 'python');

function readPysparkPin(file: string): string {
  const fullPath = path.join(requirementsDir, file);
  const text = fs.readFileSync(fullPath, 'utf8');
  const match = /^pyspark==([^\s;#]+)/m.exec(text);
  if (!match) {
    throw new HarnessError(
      'spark',
      `${fullPath} has no exact 'pyspark==<version>' pin`,
    );
  }
  return match[1];
}

/** The exact Spark versions the harness tests against, as pinned in packages/harness/python. */
export const sparkVersions: Readonly<{ spark4: string; spark35: string }> =
  Object.freeze({
    spark4: readPysparkPin('requirements-spark-4.txt'),
    spark35: readPysparkPin('requirements-spark-3.5.txt'),
  });

/** Paths of one installed Spark (a pyspark venv built by install-spark.sh). */
export interface SparkInstall {
  version: string;
  venvDir: string;
  /** The venv's python, used for the driver and the workers. */
  python: string;
  /** pyspark's package directory, which is a complete SPARK_HOME (bin/, jars/, ...). */
  sparkHome: string;
  sparkClass: string;
  sparkSubmit: string;
  javaHome: string;
}

/** The machine's Java: $JAVA_HOME, else the JDK behind `java` on PATH. Must be 17 or newer. */
export function findJavaHome(): string {
  let javaHome: string | undefined;
  const fromEnv = process.env.JAVA_HOME;
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'bin', 'java'))) {
    javaHome = fromEnv;
  } else {
    const java = which('java');
    if (java) javaHome = path.dirname(path.dirname(fs.realpathSync(java)));
  }
  if (!javaHome) {
    throw new HarnessError(
      'spark',
      'java is missing: install Java 17 (openjdk-17-jdk-headless) or set JAVA_HOME',
    );
  }
  try {
    const release = fs.readFileSync(path.join(javaHome, 'release'), 'utf8');
    const major = Number(/^JAVA_VERSION="(\d+)/m.exec(release)?.[1]);
    if (major && major < 17) {
      throw new HarnessError(
        'spark',
        `Java 17 is required, but ${javaHome} is Java ${major}`,
      );
    }
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    // no release file: let Spark itself complain if the JVM is too old
  }
  return javaHome;
}

/** Resolves the venv of an exact Spark version; throws naming the install script when it is missing. */
export function sparkInstall(version: string): SparkInstall {
  const venvDir = path.join(cacheDir, 'venv', `spark-${version}`);
  // install-spark.sh writes the stamp last, so its absence means a missing or half-built venv.
  if (!fs.existsSync(path.join(venvDir, '.requirements.txt'))) {
    throw new HarnessError(
      'spark',
      `Spark ${version} venv ${venvDir} is missing or incomplete: ${installHint}`,
    );
  }
  const python = requireExecutable(
    'spark',
    path.join(venvDir, 'bin', 'python'),
    installHint,
  );
  const libDir = path.join(venvDir, 'lib');
  const sitePackages = fs
    .readdirSync(libDir)
    .filter(name => name.startsWith('python'))
    .map(name => path.join(libDir, name, 'site-packages', 'pyspark'))
    .find(dir => fs.existsSync(dir));
  if (!sitePackages) {
    throw new HarnessError(
      'spark',
      `pyspark is not installed in ${venvDir}: ${installHint}`,
    );
  }
  return {
    version,
    venvDir,
    python,
    sparkHome: sitePackages,
    sparkClass: requireExecutable(
      'spark',
      path.join(sitePackages, 'bin', 'spark-class'),
      installHint,
    ),
    sparkSubmit: requireExecutable(
      'spark',
      path.join(sitePackages, 'bin', 'spark-submit'),
      installHint,
    ),
    javaHome: findJavaHome(),
  };
}

/** Environment shared by jobs and the History Server: this Spark, this Java, loopback only, no user config. */
function sparkEnv(
  install: SparkInstall,
  tempDir: string,
  extra?: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const confDir = path.join(tempDir, 'conf');
  fs.mkdirSync(confDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JAVA_HOME: install.javaHome,
    SPARK_HOME: install.sparkHome,
    SPARK_CONF_DIR: confDir,
    SPARK_LOCAL_IP: '127.0.0.1',
    SPARK_PUBLIC_DNS: '127.0.0.1',
    SPARK_LOG_DIR: path.join(tempDir, 'logs'),
    SPARK_PID_DIR: tempDir,
    PYSPARK_PYTHON: install.python,
    PYSPARK_DRIVER_PYTHON: install.python,
    TMPDIR: tempDir,
    ...extra,
  };
  // Inherited launcher settings would silently change what we start.
  delete env.PYSPARK_SUBMIT_ARGS;
  delete env.SPARK_SUBMIT_OPTS;
  return env;
}

export interface SparkJobOptions {
  /** An exact version with an installed venv, e.g. `sparkVersions.spark4`. */
  sparkVersion: string;
  /**
   * A path to a `.py` file, or inline Python source. The script gets its session from
   * `SparkSession.builder.getOrCreate()`; master and conf come from spark-submit.
   */
  script: string;
  /** Where the event log is written (created if missing). Do not share it between concurrent jobs. */
  eventLogDir: string;
  /** Extra Spark conf; overrides the harness defaults. */
  conf?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** Default 10 minutes. */
  timeoutMs?: number;
  /** Spark's master; default `local[2]`. `local-cluster[2,1,1024]` runs executors in their own JVMs. */
  master?: string;
  /** Return (with `exitCode`) instead of throwing when spark-submit exits non-zero. */
  allowFailure?: boolean;
}

/** One application's event log as Spark wrote it. */
export interface EventLog {
  /** The application id (plus `_<attemptId>` when there is one), as encoded in the log's name. */
  appId: string;
  /** The entry in the event log directory: a single file, or the `eventlog_v2_<appId>` directory of a rolling log. */
  path: string;
  /** Rolling logs are the default since Spark 4.0 (`spark.eventLog.rolling.enabled`, SPARK-45771). */
  rolling: boolean;
  /** The files holding events, in order (one for a single-file log, `events_<n>_<appId>[.codec]` for a rolling one). */
  files: string[];
  /** From the file extension; undefined when the log is not compressed. */
  codec?: string;
}

export interface SparkJobResult {
  /** The finished event logs this job wrote (normally one). */
  eventLogs: EventLog[];
  /** Entries of logs Spark did not finish (`.inprogress` files, rolling dirs without `appstatus_<id>`). */
  inProgressLogs: string[];
  /** spark-submit's exit code (non-zero only with `allowFailure`). */
  exitCode: number;
  /** stdout and stderr of spark-submit and the Python driver, interleaved. */
  output: string;
}

const eventLogCodecs = ['zstd', 'lz4', 'lzf', 'snappy'];
const rollingPrefix = 'eventlog_v2_';

function splitCodec(fileName: string): { base: string; codec?: string } {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1) : '';
  return eventLogCodecs.includes(extension)
    ? { base: fileName.slice(0, dot), codec: extension }
    : { base: fileName };
}

/** Reads a finished event log entry; undefined while it is still in progress or not an event log. */
export function readEventLog(entryPath: string): EventLog | undefined {
  const name = path.basename(entryPath);
  if (name.startsWith('.') || name.endsWith('.inprogress')) return undefined;
  if (!fs.statSync(entryPath).isDirectory()) {
    const { base, codec } = splitCodec(name);
    return {
      appId: base,
      path: entryPath,
      rolling: false,
      files: [entryPath],
      codec,
    };
  }
  if (!name.startsWith(rollingPrefix)) return undefined;
  const appId = name.slice(rollingPrefix.length);
  const children = fs.readdirSync(entryPath);
  // The app status marker is `appstatus_<appId>.inprogress` until the application ends.
  if (!children.includes(`appstatus_${appId}`)) return undefined;
  const eventFiles = children
    .filter(child => child.startsWith('events_'))
    .map(child => ({ child, index: Number(child.split('_')[1]) }))
    .sort((a, b) => a.index - b.index)
    .map(({ child }) => child);
  return {
    appId,
    path: entryPath,
    rolling: true,
    files: eventFiles.map(child => path.join(entryPath, child)),
    codec: eventFiles.length > 0 ? splitCodec(eventFiles[0]).codec : undefined,
  };
}

function isScriptPath(script: string): boolean {
  return !script.includes('\n') && script.trim().endsWith('.py');
}

/** Runs a PySpark script in local mode (`local[2]`) with event logging on, via the venv's spark-submit. */
export async function runSparkJob(
  options: SparkJobOptions,
): Promise<SparkJobResult> {
  const install = sparkInstall(options.sparkVersion);
  const eventLogDir = path.resolve(options.eventLogDir);
  fs.mkdirSync(eventLogDir, { recursive: true });

  const tempDir = makeTempDir('spark-job');
  try {
    let scriptFile: string;
    if (isScriptPath(options.script)) {
      scriptFile = path.resolve(options.script.trim());
      if (!fs.existsSync(scriptFile)) {
        throw new HarnessError(
          'spark',
          `job script ${scriptFile} does not exist`,
        );
      }
    } else {
      scriptFile = path.join(tempDir, 'job.py');
      fs.writeFileSync(scriptFile, options.script);
    }

    const conf: Record<string, string> = {
      'spark.eventLog.enabled': 'true',
      'spark.eventLog.dir': eventLogDir,
      'spark.ui.enabled': 'false',
      'spark.driver.host': '127.0.0.1',
      'spark.driver.bindAddress': '127.0.0.1',
      'spark.jars.ivy': path.join(tempDir, 'ivy'),
      'spark.local.dir': path.join(tempDir, 'local'),
      'spark.sql.warehouse.dir': path.join(tempDir, 'warehouse'),
      ...options.conf,
    };
    const args = ['--master', options.master ?? 'local[2]'];
    for (const [key, value] of Object.entries(conf))
      args.push('--conf', `${key}=${value}`);
    args.push(scriptFile);

    const before = new Set(fs.readdirSync(eventLogDir));
    const logFile = path.join(tempDir, 'spark-submit.log');
    const proc = startProcess('spark', install.sparkSubmit, args, {
      cwd: tempDir,
      logFile,
      env: sparkEnv(install, tempDir, {
        // The driver JVM is started by spark-submit itself, so this is how it gets a private tmp dir.
        SPARK_SUBMIT_OPTS: `-Djava.io.tmpdir=${tempDir}`,
        ...options.env,
      }),
    });
    const exit = new Promise<number | null>(resolve => {
      if (proc.child.exitCode !== null) resolve(proc.child.exitCode);
      proc.child.once('exit', code => resolve(code));
      proc.child.once('error', () => resolve(null));
    });
    const timeoutMs = options.timeoutMs ?? 600_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([exit, timedOut]);
    clearTimeout(timer);
    const output = fs.readFileSync(logFile, 'utf8');
    if (outcome === 'timeout') {
      await proc.stop();
      throw new HarnessError(
        'spark',
        `Spark ${
          install.version
        } job timed out after ${timeoutMs} ms; last output:\n${proc.tail(60)}`,
      );
    }
    if (outcome !== 0 && !options.allowFailure) {
      throw new HarnessError(
        'spark',
        `Spark ${
          install.version
        } job failed (exit code ${outcome}); last output:\n${proc.tail(60)}`,
      );
    }

    const written = fs
      .readdirSync(eventLogDir)
      .filter(name => !before.has(name) && !name.startsWith('.'))
      .sort()
      .map(name => path.join(eventLogDir, name));
    const eventLogs = written
      .map(entry => readEventLog(entry))
      .filter((log): log is EventLog => log !== undefined);
    const inProgressLogs = written.filter(
      entry => !eventLogs.some(log => log.path === entry),
    );
    if (
      eventLogs.length === 0 &&
      inProgressLogs.length === 0 &&
      conf['spark.eventLog.enabled'] === 'true'
    ) {
      throw new HarnessError(
        'spark',
        `Spark ${install.version} job exited with ${outcome} but wrote no event log to ${eventLogDir} ` +
          `(did the script create a SparkSession and stop it?); last output:\n${proc.tail(
            60,
          )}`,
      );
    }
    return { eventLogs, inProgressLogs, exitCode: outcome ?? -1, output };
  } finally {
    removeDir(tempDir);
  }
}

/** One entry of the History Server's `/api/v1/applications`. */
export interface HistoryApplication {
  id: string;
  name: string;
  attempts: Array<{
    attemptId?: string;
    completed: boolean;
    sparkUser?: string;
    appSparkVersion?: string;
  }>;
}

export interface HistoryServer extends RunningPart {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  logFile: string;
  /** Polls `/api/v1/applications` until the listing includes the application, and returns its entry. */
  waitForApplication(
    appId: string,
    timeoutMs?: number,
  ): Promise<HistoryApplication>;
}

export interface HistoryServerOptions {
  sparkVersion: string;
  /** The event log directory to serve. */
  logDir: string;
  /** Extra `spark.history.*` (or other) conf; overrides the harness defaults. */
  conf?: Record<string, string>;
  /** JVM heap of the server (SPARK_DAEMON_MEMORY), e.g. `4g`; Spark's default is 1g. */
  memory?: string;
  /** Default 2 minutes. */
  startTimeoutMs?: number;
}

async function getJson<T>(url: string): Promise<T | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return undefined;
  return (await response.json()) as T;
}

/** Starts the real Spark History Server of that version on a free loopback port, reading `logDir`. */
export async function startHistoryServer(
  options: HistoryServerOptions,
): Promise<HistoryServer> {
  const part = 'spark-history';
  const install = sparkInstall(options.sparkVersion);
  const logDir = path.resolve(options.logDir);
  if (!fs.existsSync(logDir)) {
    throw new HarnessError(
      part,
      `event log directory ${logDir} does not exist`,
    );
  }
  const port = await freePort();
  await assertPortFree(port, part);

  const tempDir = makeTempDir(part);
  const conf: Record<string, string> = {
    'spark.history.fs.logDirectory': logDir,
    'spark.history.ui.port': String(port),
    'spark.history.fs.update.interval': '1s',
    'spark.ui.enabled': 'true',
    ...options.conf,
  };
  const propertiesFile = path.join(tempDir, 'history-server.properties');
  fs.writeFileSync(
    propertiesFile,
    Object.entries(conf)
      .map(([key, value]) => `${key}=${value.replace(/\\/g, '\\\\')}\n`)
      .join(''),
  );

  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    part,
    install.sparkClass,
    [
      'org.apache.spark.deploy.history.HistoryServer',
      '--properties-file',
      propertiesFile,
    ],
    {
      cwd: tempDir,
      logFile: path.join(tempDir, 'history-server.log'),
      // spark-class reads SPARK_HISTORY_OPTS for this main class; the web UI binds to SPARK_LOCAL_IP.
      env: sparkEnv(install, tempDir, {
        SPARK_HISTORY_OPTS: `-Djava.io.tmpdir=${tempDir}`,
        ...(options.memory ? { SPARK_DAEMON_MEMORY: options.memory } : {}),
      }),
    },
  );

  const stop = stopProcesses(tempDir, proc);

  try {
    await waitFor(
      part,
      `${url}/api/v1/applications to answer`,
      () => getJson<unknown[]>(`${url}/api/v1/applications`),
      {
        timeoutMs: options.startTimeoutMs ?? 120_000,
        process: proc,
        intervalMs: 500,
      },
    );
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    url,
    port,
    logFile: proc.logFile,
    stop,
    waitForApplication(appId, timeoutMs = 60_000) {
      return waitFor(
        part,
        `application ${appId} to be listed`,
        // The listing, not /applications/<id>: since Spark 4.1 the latter can load a rolling log
        // on demand before the periodic scan has listed it.
        async () =>
          (
            await getJson<HistoryApplication[]>(`${url}/api/v1/applications`)
          )?.find(app => app.id === appId),
        { timeoutMs, process: proc, intervalMs: 500 },
      );
    },
  };
}
