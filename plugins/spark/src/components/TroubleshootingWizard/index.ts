export { TroubleshootingWizard, runbookHref } from './TroubleshootingWizard';
