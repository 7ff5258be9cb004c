import SvgIcon from '@material-ui/core/SvgIcon';

/** A spark: the nav and plugin icon. */
export function SparkIcon() {
  return (
    <SvgIcon fontSize="inherit" viewBox="0 0 24 24">
      <path d="M12 1 14.2 9.8 23 12l-8.8 2.2L12 23l-2.2-8.8L1 12l8.8-2.2z" />
    </SvgIcon>
  );
}
