import fs from 'node:fs';
import path from 'node:path';
import { HarnessError, makeTempDir, removeDir } from './common';
import { mkdocsBuild } from './mkdocs';

let dir: string;

function writeSite(name: string, indexMarkdown: string): string {
  const siteDir = path.join(dir, name);
  fs.mkdirSync(path.join(siteDir, 'docs'), { recursive: true });
  fs.writeFileSync(
    path.join(siteDir, 'mkdocs.yml'),
    `site_name: ${name}\nnav:\n  - Home: index.md\n  - Runbook: runbook.md\nplugins:\n  - techdocs-core\n`,
  );
  fs.writeFileSync(path.join(siteDir, 'docs', 'index.md'), indexMarkdown);
  fs.writeFileSync(
    path.join(siteDir, 'docs', 'runbook.md'),
    '# Runbook\n\n!!! note\n    Restart the driver pod.\n',
  );
  return siteDir;
}

beforeAll(() => {
  dir = makeTempDir('mkdocs-test');
});

afterAll(() => removeDir(dir));

describe('mkdocsBuild with techdocs-core', () => {
  it('builds a site under --strict', async () => {
    const siteDir = writeSite(
      'good',
      '# Spark on Kubernetes\n\nSee the [runbook](runbook.md).\n',
    );
    const outDir = path.join(dir, 'good-out');
    const result = await mkdocsBuild({ siteDir, outDir, strict: true });
    expect(result.outDir).toBe(outDir);
    const index = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
    expect(index).toContain('Spark on Kubernetes');
    expect(index).toContain('href="runbook/"');
    // techdocs-core's admonition extension turned the note into markup
    expect(
      fs.readFileSync(path.join(outDir, 'runbook', 'index.html'), 'utf8'),
    ).toContain('class="admonition note"');
  }, 120_000);

  it('fails under --strict on a broken internal link, with mkdocs output', async () => {
    const siteDir = writeSite(
      'broken',
      '# Broken\n\nSee [missing](no-such-page.md).\n',
    );
    const build = mkdocsBuild({
      siteDir,
      outDir: path.join(dir, 'broken-out'),
      strict: true,
    });
    await expect(build).rejects.toThrow(HarnessError);
    await expect(build).rejects.toThrow(/no-such-page\.md/);
  }, 120_000);
});
