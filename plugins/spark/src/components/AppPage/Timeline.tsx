import { Box, Tooltip, Typography, makeStyles } from '@material-ui/core';
import type {
  SparkJobSummary,
  SparkStageSummary,
} from '@spark-k8s/plugin-spark-common';
import { formatDuration } from '../../format';

const MAX_ROWS = 60;

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: '160px 1fr',
    alignItems: 'center',
    gap: theme.spacing(1),
    minHeight: 20,
  },
  label: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  track: {
    position: 'relative',
    height: 14,
    background: theme.palette.action.hover,
    borderRadius: 2,
  },
  bar: { position: 'absolute', top: 0, bottom: 0, borderRadius: 2 },
  job: { background: theme.palette.primary.main },
  ok: { background: theme.palette.success.main },
  failed: { background: theme.palette.error.main },
  other: { background: theme.palette.grey[500] },
}));

interface Span {
  key: string;
  label: string;
  start: number;
  end: number;
  kind: 'job' | 'ok' | 'failed' | 'other';
  tooltip: string;
}

const stageKind = (status: string): Span['kind'] => {
  if (status === 'COMPLETE') return 'ok';
  if (status === 'FAILED') return 'failed';
  return 'other';
};

const time = (iso?: string) => (iso ? new Date(iso).getTime() : NaN);

/** Jobs and their stages on one time axis, from the first submission to the last completion. */
export function Timeline(props: {
  jobs: SparkJobSummary[];
  stages: SparkStageSummary[];
  locale: string;
  jobLabel: (id: number) => string;
  stageLabel: string;
}) {
  const classes = useStyles();
  const { jobs, stages, locale } = props;
  const now = Date.now();
  const spans: Span[] = [];
  for (const job of jobs) {
    const start = time(job.submissionTime);
    if (Number.isNaN(start)) continue;
    const end = time(job.completionTime);
    spans.push({
      key: `job-${job.jobId}`,
      label: props.jobLabel(job.jobId),
      start,
      end: Number.isNaN(end) ? now : end,
      kind: 'job',
      tooltip: `${job.name} · ${job.status}`,
    });
    for (const stage of stages.filter(s => job.stageIds.includes(s.stageId))) {
      const stageStart = time(stage.submissionTime);
      if (Number.isNaN(stageStart)) continue;
      const stageEnd = time(stage.completionTime);
      spans.push({
        key: `stage-${stage.stageId}.${stage.attemptId}`,
        label: `  ${props.stageLabel} ${stage.stageId}.${stage.attemptId}`,
        start: stageStart,
        end: Number.isNaN(stageEnd) ? now : stageEnd,
        kind: stageKind(stage.status),
        tooltip: `${stage.name} · ${stage.status}`,
      });
    }
  }
  if (spans.length === 0) return null;
  const t0 = Math.min(...spans.map(s => s.start));
  const t1 = Math.max(...spans.map(s => s.end));
  const total = Math.max(1, t1 - t0);
  const shown = spans.slice(0, MAX_ROWS);
  return (
    <Box data-testid="spark-timeline">
      {shown.map(span => (
        <Box key={span.key} className={classes.row}>
          <Typography variant="caption" className={classes.label}>
            {span.label}
          </Typography>
          <Tooltip
            title={`${span.tooltip} · ${formatDuration(
              span.end - span.start,
              locale,
            )}`}
          >
            <Box className={classes.track}>
              <Box
                className={`${classes.bar} ${classes[span.kind]}`}
                style={{
                  left: `${((span.start - t0) / total) * 100}%`,
                  width: `${Math.max(
                    0.5,
                    ((span.end - span.start) / total) * 100,
                  )}%`,
                }}
              />
            </Box>
          </Tooltip>
        </Box>
      ))}
      {spans.length > MAX_ROWS && (
        <Typography variant="caption" color="textSecondary">
          … +{spans.length - MAX_ROWS}
        </Typography>
      )}
    </Box>
  );
}
