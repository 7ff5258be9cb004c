import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import BlockIcon from '@material-ui/icons/Block';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import InfoOutlinedIcon from '@material-ui/icons/InfoOutlined';
import type { ReactNode } from 'react';

const icons = {
  error: ErrorOutlineIcon,
  denied: BlockIcon,
  info: InfoOutlinedIcon,
};

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'flex-start',
    padding: theme.spacing(2),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
  },
  error: { color: theme.palette.error.main },
  denied: { color: theme.palette.warning.main },
  info: { color: theme.palette.info.main },
}));

/** A state that says what happened and what to do next: empty, not available, denied, error. */
export function SparkNotice(props: {
  kind: 'info' | 'denied' | 'error';
  title: string;
  hint: ReactNode;
  action?: { label: string; onClick: () => void };
}) {
  const classes = useStyles();
  const Icon = icons[props.kind];
  return (
    <Box
      className={classes.root}
      role={props.kind === 'info' ? 'status' : 'alert'}
      data-testid={`spark-notice-${props.kind}`}
    >
      <Icon className={classes[props.kind]} />
      <Box>
        <Typography variant="subtitle1" component="p">
          {props.title}
        </Typography>
        <Typography variant="body2" color="textSecondary" component="div">
          {props.hint}
        </Typography>
        {props.action && (
          <Box mt={1}>
            <Button
              variant="outlined"
              size="small"
              onClick={props.action.onClick}
            >
              {props.action.label}
            </Button>
          </Box>
        )}
      </Box>
    </Box>
  );
}
