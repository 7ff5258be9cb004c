import {
  RUNBOOK_VALUE_PATTERN,
  RUNBOOK_VARIABLES,
} from '../model/runbookVariables';

/** Class of the elements that show a filled-in value, for styling and for tests. */
export const FILLED_VALUE_CLASS = 'spark-runbook-value';

/** The runbook values a page URL carries (`?NS=payments&APP_ID=spark-1`); anything else is dropped. */
export function runbookValuesFromSearch(
  search: string,
): Record<string, string> {
  const params = new URLSearchParams(search);
  const values: Record<string, string> = {};
  for (const name of RUNBOOK_VARIABLES) {
    const value = params.get(name);
    if (value && RUNBOOK_VALUE_PATTERN.test(value)) values[name] = value;
  }
  return values;
}

const VARIABLE = /\$\{([A-Z][A-Z_]*)\}|\$([A-Z][A-Z_]*)/g;

/**
 * Replaces `$NAME` and `${NAME}` in the text of `root` by the given values, each in a `<mark>`
 * whose title names the variable. Text only: a value never becomes markup. Returns how many
 * places were filled in; a second call finds none.
 */
export function fillInValues(
  root: Element,
  values: Record<string, string>,
): number {
  const document = root.ownerDocument;
  const walker = document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue?.includes('$')) texts.push(node as Text);
  }
  let filled = 0;
  for (const text of texts) {
    const source = text.nodeValue ?? '';
    const parts: Node[] = [];
    let last = 0;
    for (const match of source.matchAll(VARIABLE)) {
      const name = match[1] ?? match[2];
      const value = values[name];
      if (value === undefined) continue;
      parts.push(document.createTextNode(source.slice(last, match.index)));
      const mark = document.createElement('mark');
      mark.className = FILLED_VALUE_CLASS;
      mark.title = `$${name}`;
      mark.textContent = value;
      parts.push(mark);
      last = match.index! + match[0].length;
      filled += 1;
    }
    if (parts.length === 0) continue;
    parts.push(document.createTextNode(source.slice(last)));
    text.replaceWith(...parts);
  }
  return filled;
}
