import { Link } from '@backstage/core-components';
import type { TranslationFunction } from '@backstage/core-plugin-api/alpha';
import { Typography } from '@material-ui/core';
import { isRunbookId, runbookPath } from '@spark-k8s/plugin-spark-common';
import { useLocale } from '../format';
import type { sparkTranslationRef } from '../translation';

/** A link to a runbook in the reader's language; an unknown id is shown, never a dead link. */
export function RunbookLink(props: {
  id: string;
  t: TranslationFunction<typeof sparkTranslationRef.T>;
}) {
  const locale = useLocale();
  const label = `${props.t('app.runbook')}: ${props.id}`;
  if (!isRunbookId(props.id)) {
    return <Typography variant="body2">{label}</Typography>;
  }
  return (
    <Link to={runbookPath(props.id, locale.startsWith('ru') ? 'ru' : 'en')}>
      {label}
    </Link>
  );
}
