import { stringifyEntityRef } from '@backstage/catalog-model';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box } from '@material-ui/core';
import { sparkTranslationRef } from '../../translation';
import { AppsTable } from '../AppsTable';

/** The "Spark" tab of a Component: its runs, newest first. */
export function EntitySparkContent() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(sparkTranslationRef);
  return (
    <Box>
      <AppsTable
        title={t('entityTab.appsTitle')}
        entityRef={stringifyEntityRef(entity)}
      />
    </Box>
  );
}
