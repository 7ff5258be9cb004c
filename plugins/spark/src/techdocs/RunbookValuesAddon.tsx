import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useShadowRootElements } from '@backstage/plugin-techdocs-react';
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { sparkTranslationRef } from '../translation';
import {
  FILLED_VALUE_CLASS,
  fillInValues,
  runbookValuesFromSearch,
} from './runbookValues';

const NOTE_ATTRIBUTE = 'data-spark-runbook-values';

/**
 * A TechDocs addon for the runbooks: when the page is opened from the troubleshooting wizard,
 * the commands show the app's own values (`$NS` → `payments-data`) and a note at the top says
 * which values came from where.
 */
export function RunbookValuesAddon() {
  const { t } = useTranslationRef(sparkTranslationRef);
  const { search } = useLocation();
  const [article] = useShadowRootElements<HTMLElement>(['article']);
  const codes = useShadowRootElements<HTMLElement>(['code']);
  useEffect(() => {
    const values = runbookValuesFromSearch(search);
    if (!article || Object.keys(values).length === 0) return;
    const filled = codes
      .filter(code => !code.closest(`[${NOTE_ATTRIBUTE}]`))
      .reduce((sum, code) => sum + fillInValues(code, values), 0);
    if (filled === 0 || article.querySelector(`[${NOTE_ATTRIBUTE}]`)) return;
    const document = article.ownerDocument;
    const note = document.createElement('div');
    note.setAttribute(NOTE_ATTRIBUTE, '');
    note.className = 'admonition info';
    const title = document.createElement('p');
    title.className = 'admonition-title';
    title.textContent = t('wizard.filledInTitle');
    const body = document.createElement('p');
    body.textContent = t('wizard.filledIn');
    const list = document.createElement('ul');
    for (const [name, value] of Object.entries(values)) {
      const item = document.createElement('li');
      const variable = document.createElement('code');
      variable.textContent = `$${name}`;
      const mark = document.createElement('mark');
      mark.className = FILLED_VALUE_CLASS;
      mark.textContent = value;
      item.append(variable, ' → ', mark);
      list.append(item);
    }
    note.append(title, body, list);
    const heading = article.querySelector('h1');
    if (heading) heading.after(note);
    else article.prepend(note);
  }, [article, codes, search, t]);
  return null;
}
