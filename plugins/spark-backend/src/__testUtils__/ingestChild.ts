/**
 * Runs ingestDirectory in a child process (argv: JSON options), so a test can let it be
 * killed with SIGKILL mid-ingest.
 */
import { ingestDirectory } from './ingestDirectory';

ingestDirectory(JSON.parse(process.argv[2]))
  .then(({ knex }) => knex.destroy())
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
