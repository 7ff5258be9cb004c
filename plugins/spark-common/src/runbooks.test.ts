import fs from 'node:fs';
import path from 'node:path';
import {
  getRunbook,
  isRunbookId,
  RUNBOOK_CATEGORIES,
  RUNBOOK_IDS,
  RUNBOOK_LANGUAGES,
  RunbookLanguage,
  RUNBOOKS,
  runbookPath,
  runbookUrl,
} from './runbooks';

/** The repository root: the nearest directory upwards that holds runbooks/mkdocs.yml. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'runbooks', 'mkdocs.yml'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`no runbooks/mkdocs.yml above ${start}`);
    }
  }
}

const siteDir = path.join(findRepoRoot(process.cwd()), 'runbooks');
const docsDir = path.join(siteDir, 'docs');

const SECTIONS: Record<RunbookLanguage, string[]> = {
  en: [
    'Meaning',
    'Impact',
    'Diagnosis',
    'Mitigation',
    'Related alerts and diagnoses',
  ],
  ru: [
    'Значение',
    'Влияние',
    'Диагностика',
    'Устранение',
    'Связанные алерты и диагностики',
  ],
};

const otherLanguage = (language: RunbookLanguage): RunbookLanguage =>
  language === 'en' ? 'ru' : 'en';

function read(relativePath: string): string {
  return fs.readFileSync(path.join(docsDir, relativePath), 'utf8');
}

/** Markdown without fenced code blocks and inline code, where link syntax means nothing. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
    .replace(/`[^`\n]*`/g, '');
}

/** Relative link targets of a page, without anchors (external links are left out). */
function relativeLinks(markdown: string): string[] {
  const targets = [...prose(markdown).matchAll(/\]\(([^)\s]+)[^)]*\)/g)].map(
    m => m[1],
  );
  return targets
    .filter(t => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'))
    .map(t => t.split('#')[0]);
}

/** The page a relative link of `from` leads to, as a path under docs/. */
function resolveLink(from: string, target: string): string {
  return path.posix.normalize(
    path.posix.join(path.posix.dirname(from), target),
  );
}

/** Every .md file under docs/, as paths relative to docs/. */
function allPages(dir = docsDir, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return allPages(path.join(dir, entry.name), rel);
    return entry.name.endsWith('.md') ? [rel] : [];
  });
}

/** Pages reachable from `start` by following relative links that stay in `language`. */
function reachableFrom(start: string, language: RunbookLanguage): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const page = queue.shift()!;
    if (!fs.existsSync(path.join(docsDir, page))) continue;
    for (const target of relativeLinks(read(page))) {
      const next = resolveLink(page, target);
      if (next.startsWith(`${language}/`) && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

const pagesOf = (language: RunbookLanguage) =>
  RUNBOOK_IDS.map(id => `${language}/${id}.md`);

describe('the runbook catalogue', () => {
  it('has unique kebab-case ids, each in a known category', () => {
    expect(new Set(RUNBOOK_IDS).size).toBe(RUNBOOK_IDS.length);
    for (const runbook of RUNBOOKS) {
      expect(runbook.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(RUNBOOK_CATEGORIES).toContain(runbook.category);
      expect(runbook.title.en.trim()).not.toBe('');
      expect(runbook.title.ru).toMatch(/[а-яё]/i);
    }
  });

  it('gives the TechDocs path and URL of a runbook in each language', () => {
    expect(runbookPath('executor-oom-killed', 'en')).toBe(
      '/docs/default/component/spark-runbooks/en/executor-oom-killed/',
    );
    expect(runbookPath('data-skew', 'ru')).toBe(
      '/docs/default/component/spark-runbooks/ru/data-skew/',
    );
    expect(runbookPath('spill')).toBe(
      '/docs/default/component/spark-runbooks/en/spill/',
    );
    expect(runbookUrl('https://portal.example.com/', 'spill', 'ru')).toBe(
      'https://portal.example.com/docs/default/component/spark-runbooks/ru/spill/',
    );
  });

  it('tells runbook ids from other strings', () => {
    expect(isRunbookId('data-skew')).toBe(true);
    expect(isRunbookId('no-such-runbook')).toBe(false);
    expect(isRunbookId('toString')).toBe(false);
    expect(getRunbook('data-skew').category).toBe('performance');
  });
});

describe.each(RUNBOOK_LANGUAGES)('the %s runbook pages', language => {
  it('exist for every id in the catalogue', () => {
    const missing = pagesOf(language).filter(
      page => !fs.existsSync(path.join(docsDir, page)),
    );
    expect(missing).toEqual([]);
  });

  it('are all in the catalogue (no orphans)', () => {
    const known = new Set([`${language}/index.md`, ...pagesOf(language)]);
    const orphans = allPages()
      .filter(page => page.startsWith(`${language}/`))
      .filter(page => !known.has(page));
    expect(orphans).toEqual([]);
  });

  it('start with the catalogue title and the id', () => {
    const wrong = RUNBOOKS.flatMap(({ id, title }) => {
      const lines = read(`${language}/${id}.md`)
        .split('\n')
        .filter(line => line.trim() !== '');
      const problems = [];
      if (lines[0] !== `# ${title[language]}`) {
        problems.push(
          `${id}: title "${lines[0]}" is not "# ${title[language]}"`,
        );
      }
      if (!lines[1]?.startsWith(`\`${id}\``)) {
        problems.push(
          `${id}: the line under the title does not start with the id`,
        );
      }
      return problems;
    });
    expect(wrong).toEqual([]);
  });

  it('have the sections Meaning, Impact, Diagnosis, Mitigation and related alerts, in order', () => {
    const wrong = RUNBOOK_IDS.filter(id => {
      const headings = [...read(`${language}/${id}.md`).matchAll(/^## (.+)$/gm)]
        .map(m => m[1].trim())
        .filter(h => SECTIONS[language].includes(h));
      return headings.join('|') !== SECTIONS[language].join('|');
    });
    expect(wrong).toEqual([]);
  });

  it('link to the same runbook in the other language', () => {
    const other = otherLanguage(language);
    const missing = RUNBOOK_IDS.filter(
      id =>
        !relativeLinks(read(`${language}/${id}.md`)).includes(
          `../${other}/${id}.md`,
        ),
    );
    expect(missing).toEqual([]);
    expect(relativeLinks(read(`${language}/index.md`))).toContain(
      `../${other}/index.md`,
    );
  });

  it('are reachable from the index page of their language', () => {
    const reachable = reachableFrom(`${language}/index.md`, language);
    expect(pagesOf(language).filter(page => !reachable.has(page))).toEqual([]);
  });

  it('are listed in the mkdocs nav', () => {
    const mkdocs = fs.readFileSync(path.join(siteDir, 'mkdocs.yml'), 'utf8');
    const listed = new Set(
      [...mkdocs.matchAll(/^\s*-\s+(?:[^:\n]+:\s+)?(\S+\.md)\s*$/gm)].map(
        m => m[1],
      ),
    );
    expect(pagesOf(language).filter(page => !listed.has(page))).toEqual([]);
  });
});

describe('links between runbook pages', () => {
  it('all resolve to existing pages', () => {
    const broken = allPages().flatMap(page =>
      relativeLinks(read(page))
        .filter(t => !fs.existsSync(path.join(docsDir, resolveLink(page, t))))
        .map(t => `${page} -> ${t}`),
    );
    expect(broken).toEqual([]);
  });
});
