import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Chip, makeStyles } from '@material-ui/core';
import type { SparkDisplayState } from '../model';
import { sparkTranslationRef } from '../translation';

const useStyles = makeStyles(theme => ({
  SUCCEEDED: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  RUNNING: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  FAILED: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  SUBMISSION_FAILED: {
    backgroundColor: theme.palette.error.dark,
    color: theme.palette.error.contrastText,
  },
  PENDING: {
    backgroundColor: theme.palette.warning.light,
    color: theme.palette.getContrastText(theme.palette.warning.light),
  },
  SUBMITTED: {
    backgroundColor: theme.palette.warning.light,
    color: theme.palette.getContrastText(theme.palette.warning.light),
  },
  UNKNOWN: {},
}));

/** The state of an app as a coloured chip with its translated name. */
export function AppStateChip(props: { state: SparkDisplayState }) {
  const classes = useStyles();
  const { t } = useTranslationRef(sparkTranslationRef);
  return (
    <Chip
      size="small"
      label={t(`state.${props.state}`)}
      className={classes[props.state]}
    />
  );
}
