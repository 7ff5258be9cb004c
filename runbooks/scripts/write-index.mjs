// Writes runbooks/docs/{en,ru}/index.md and the nav of runbooks/mkdocs.yml from the runbook
// catalogue in plugins/spark-common/src/runbooks.ts (Node 24 strips the types itself):
//   node runbooks/scripts/write-index.mjs && yarn prettier --write runbooks
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
const m = await import(path.join(root, 'plugins/spark-common/src/runbooks.ts'));
const { RUNBOOKS, RUNBOOK_CATEGORIES, RUNBOOK_CATEGORY_TITLES } = m;
const intro = {
  en: `# Runbooks (English)

[Русская версия](../ru/index.md)

Operations runbooks for Spark on Kubernetes, written for the people on call for Spark jobs:
data engineers and the platform team. Every runbook has a stable id (shown under its title)
that the portal's diagnoses, the alert rules' \`runbook_url\` and the portal's cards link to, and
follows the same order: **Meaning**, **Impact**, **Diagnosis**, **Mitigation**, then the related
alerts and diagnoses.

Commands assume \`kubectl\` pointed at the cluster and namespace of the app
(\`NS=<namespace>\`, \`APP=<SparkApplication name>\`, \`APP_ID=<spark-app-selector>\`).
`,
  ru: `# Ранбуки (русский)

[English version](../en/index.md)

Эксплуатационные ранбуки для Spark в Kubernetes — для тех, кто дежурит по Spark-заданиям:
дата-инженеров и платформенной команды. У каждого ранбука есть постоянный идентификатор
(он указан под заголовком); на него ссылаются диагностики портала, \`runbook_url\` в правилах
алертов и карточки портала. Порядок разделов везде одинаковый: **Значение**, **Влияние**,
**Диагностика**, **Устранение** и в конце — связанные алерты и диагностики.

Команды рассчитаны на \`kubectl\`, настроенный на кластер и namespace приложения
(\`NS=<namespace>\`, \`APP=<имя SparkApplication>\`, \`APP_ID=<spark-app-selector>\`).
`,
};
const nav = ['nav:', '  - Home: index.md'];
for (const lang of ['en', 'ru']) {
  let out = intro[lang];
  nav.push(
    lang === 'en' ? '  - English:' : '  - Русский:',
    `      - ${lang}/index.md`,
  );
  for (const c of RUNBOOK_CATEGORIES) {
    const items = RUNBOOKS.filter(r => r.category === c);
    if (!items.length) continue;
    out += `\n## ${RUNBOOK_CATEGORY_TITLES[c][lang]}\n\n`;
    nav.push(
      `      - ${JSON.stringify(RUNBOOK_CATEGORY_TITLES[c][lang]).replace(
        /^"|"$/g,
        '',
      )}:`,
    );
    for (const r of items) {
      out += `- [${r.title[lang]}](${r.id}.md) — \`${r.id}\`\n`;
      nav.push(`          - ${lang}/${r.id}.md`);
    }
  }
  fs.writeFileSync(`${root}/runbooks/docs/${lang}/index.md`, out);
}
const yml = fs.readFileSync(`${root}/runbooks/mkdocs.yml`, 'utf8');
const start = yml.indexOf('nav:');
const end = yml.indexOf('\ntheme:');
fs.writeFileSync(
  `${root}/runbooks/mkdocs.yml`,
  yml.slice(0, start) + nav.join('\n') + yml.slice(end),
);
