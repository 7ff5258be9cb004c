import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, HarnessError, repoRoot, requireExecutable } from './common';

const part = 'mkdocs';
const installHint = 'run packages/harness/scripts/install-mkdocs.sh';
const requirementsFile = path.join(
  repoRoot,
  'packages/harness/python/requirements-mkdocs.txt',
);

/** The venv install-mkdocs.sh builds: .cache/venv/mkdocs-<first 12 hex digits of the requirements' sha256>. */
export function mkdocsVenvDir(): string {
  const sha = createHash('sha256')
    .update(fs.readFileSync(requirementsFile))
    .digest('hex');
  return path.join(cacheDir, 'venv', `mkdocs-${sha.slice(0, 12)}`);
}

/** Path of `mkdocs` in the venv; throws when the venv is missing or was not completed. */
export function mkdocsBin(): string {
  const venv = mkdocsVenvDir();
  const bin = requireExecutable(
    part,
    path.join(venv, 'bin', 'mkdocs'),
    installHint,
  );
  // install-mkdocs.sh copies the requirements file into the venv as its last step.
  if (!fs.existsSync(path.join(venv, '.requirements.txt'))) {
    throw new HarnessError(part, `${venv} is incomplete: ${installHint}`);
  }
  return bin;
}

export interface MkdocsBuildOptions {
  /** Directory holding mkdocs.yml and docs/. */
  siteDir: string;
  /** Where the HTML goes (mkdocs --site-dir). */
  outDir: string;
  /** mkdocs --strict: warnings (such as broken links) fail the build. */
  strict?: boolean;
  timeoutMs?: number;
}

export interface MkdocsBuildResult {
  outDir: string;
  /** mkdocs logs to stderr; stdout is usually empty. */
  output: string;
}

/** Runs `mkdocs build`; a failed build throws a HarnessError carrying mkdocs's output. */
export async function mkdocsBuild(
  options: MkdocsBuildOptions,
): Promise<MkdocsBuildResult> {
  const mkdocs = mkdocsBin();
  const args = [
    'build',
    '--config-file',
    path.join(options.siteDir, 'mkdocs.yml'),
    '--site-dir',
    path.resolve(options.outDir),
  ];
  if (options.strict) args.push('--strict');
  return new Promise((resolve, reject) => {
    execFile(
      mkdocs,
      args,
      {
        cwd: options.siteDir,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
        // Silences the banners mkdocs-material and mkdocs-redirects print about MkDocs 2.0 on every build.
        env: {
          ...process.env,
          NO_MKDOCS_2_WARNING: 'true',
          DISABLE_MKDOCS_2_WARNING: 'true',
        },
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error) {
          reject(
            new HarnessError(
              part,
              `mkdocs ${args.join(' ')} failed (${
                error.code ?? error.signal
              }):\n${output}`,
            ),
          );
        } else {
          resolve({ outDir: path.resolve(options.outDir), output });
        }
      },
    );
  });
}
