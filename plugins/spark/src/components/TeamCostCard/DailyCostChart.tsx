import { Box, Typography, makeStyles } from '@material-ui/core';
import { formatDay, formatMoney } from '../../format';

const useStyles = makeStyles(theme => ({
  bar: { fill: theme.palette.primary.main },
  axis: { display: 'flex', justifyContent: 'space-between' },
}));

const HEIGHT = 80;

/** Daily cost as bars; each bar names its day and amount for screen readers and on hover. */
export function DailyCostChart(props: {
  daily: Array<{ date: string; cost: number }>;
  currency: string;
  locale: string;
  label: string;
}) {
  const classes = useStyles();
  const { daily, currency, locale } = props;
  if (daily.length === 0) return null;
  const max = Math.max(...daily.map(d => d.cost), 0) || 1;
  const width = 100 / daily.length;
  return (
    <Box>
      <svg
        role="img"
        aria-label={props.label}
        viewBox={`0 0 100 ${HEIGHT}`}
        preserveAspectRatio="none"
        width="100%"
        height={HEIGHT}
      >
        {daily.map((d, i) => {
          const h = (d.cost / max) * (HEIGHT - 2);
          return (
            <rect
              key={d.date}
              className={classes.bar}
              x={i * width + width * 0.1}
              y={HEIGHT - h}
              width={width * 0.8}
              height={h}
            >
              <title>{`${formatDay(d.date, locale)}: ${formatMoney(
                d.cost,
                currency,
                locale,
              )}`}</title>
            </rect>
          );
        })}
      </svg>
      <Box className={classes.axis}>
        <Typography variant="caption" color="textSecondary">
          {formatDay(daily[0].date, locale)}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {formatDay(daily[daily.length - 1].date, locale)}
        </Typography>
      </Box>
    </Box>
  );
}
