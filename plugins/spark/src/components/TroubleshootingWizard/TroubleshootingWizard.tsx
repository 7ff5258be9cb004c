import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  useTranslationRef,
  type TranslationFunction,
} from '@backstage/core-plugin-api/alpha';
import {
  Box,
  Button,
  Chip,
  FormControlLabel,
  Grid,
  Radio,
  RadioGroup,
  Step,
  StepContent,
  StepLabel,
  Stepper,
  Typography,
  makeStyles,
} from '@material-ui/core';
import {
  getRunbook,
  runbookPath,
  type RunbookId,
  type SparkDiagnosis,
} from '@spark-k8s/plugin-spark-common';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sparkApiRef, type SparkApi } from '../../api';
import { formatNumber, useLocale } from '../../format';
import {
  QUESTION_IDS,
  runbookValues,
  troubleshoot,
  type QuestionId,
  type TroubleshootingEvidence,
  type TroubleshootingFacts,
  type TroubleshootingWalk,
} from '../../model';
import { appRouteRef } from '../../routes';
import { sparkTranslationRef } from '../../translation';
import { SparkAppErrorNotice } from '../SparkErrorNotice';

type T = TranslationFunction<typeof sparkTranslationRef.T>;
type Key = Parameters<T>[0];

/** How many earlier successful runs the duration and cost comparisons read. */
const EARLIER_RUNS = 20;

const useStyles = makeStyles(theme => ({
  pre: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    margin: theme.spacing(0.5, 0),
  },
  values: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 2),
  },
}));

const questionText = (t: T, question: QuestionId, option = 'title') =>
  t(`wizard.questions.${question}.${option}` as Key);

/** What the wizard reads of an app: its details, diagnoses and the Component's earlier runs. */
async function loadFacts(
  sparkApi: SparkApi,
  appId: string | undefined,
): Promise<TroubleshootingFacts> {
  if (!appId) {
    return { failures: [], kubernetes: [], diagnoses: [], earlierRuns: [] };
  }
  const details = await sparkApi.getApp(appId);
  const { entityRef } = details.app.attribution;
  const [diagnoses, earlier] = await Promise.all([
    sparkApi.listDiagnoses(appId),
    entityRef && details.app.startTime
      ? sparkApi.listApps({
          entityRef,
          state: ['SUCCEEDED'],
          to: details.app.startTime,
          limit: EARLIER_RUNS,
        })
      : undefined,
  ]);
  return {
    app: details.app,
    failures: details.failures,
    kubernetes: details.kubernetes,
    diagnoses: diagnoses ?? [],
    earlierRuns: (earlier?.items ?? []).filter(run => run.id !== appId),
  };
}

/**
 * The troubleshooting wizard: from an app (or a symptom alone) to the runbook that fixes the
 * problem. Answers live in the URL, so a walk can be shared and the back button undoes one.
 */
export function TroubleshootingWizard(props: { appId?: string }) {
  const { appId } = props;
  const sparkApi = useApi(sparkApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => loadFacts(sparkApi, appId),
    [sparkApi, appId],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <SparkAppErrorNotice appId={appId ?? ''} error={error} retry={retry} />
    );
  }
  if (!value) return null;
  return <Walk facts={value} />;
}

function Walk(props: { facts: TroubleshootingFacts }) {
  const { facts } = props;
  const { t } = useTranslationRef(sparkTranslationRef);
  const appLink = useRouteRef(appRouteRef);
  const [params, setParams] = useSearchParams();
  const answers = Object.fromEntries(
    QUESTION_IDS.flatMap(id => {
      const answer = params.get(id);
      return answer ? [[id, answer]] : [];
    }),
  );
  const walk = troubleshoot(facts, answers);

  // Answering (or changing) a question keeps only the person's answers before it.
  const answer = (question: QuestionId, option?: string) => {
    const next = new URLSearchParams();
    for (const step of walk.steps) {
      if (step.question === question) break;
      if (step.answeredBy === 'you') next.set(step.question, step.answer);
    }
    if (option) next.set(question, option);
    setParams(next);
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="h4" component="h1">
          {facts.app
            ? t('wizard.appTitle', { name: facts.app.name })
            : t('wizard.symptomTitle')}
        </Typography>
        {facts.app && (
          <Link to={appLink({ appId: facts.app.id })}>{facts.app.id}</Link>
        )}
        <Typography variant="body2" color="textSecondary" paragraph>
          {facts.app ? t('wizard.intro') : t('wizard.introSymptom')}
        </Typography>
      </Grid>
      <Grid item xs={12} md={walk.conclusion ? 6 : 12}>
        <InfoCard title={t('wizard.title')}>
          <Stepper
            orientation="vertical"
            activeStep={walk.steps.length}
            data-testid="spark-wizard-steps"
          >
            {walk.steps.map((step, index) => (
              <Step key={step.question} completed expanded>
                <StepLabel>
                  {questionText(t, step.question)}
                  <Chip
                    size="small"
                    variant={
                      step.answeredBy === 'data' ? 'default' : 'outlined'
                    }
                    label={
                      step.answeredBy === 'data'
                        ? t('wizard.fromData')
                        : t('wizard.yourAnswer')
                    }
                    style={{ marginLeft: 8 }}
                  />
                </StepLabel>
                <StepContent>
                  <Typography variant="subtitle2">
                    {questionText(t, step.question, step.answer)}
                  </Typography>
                  {step.evidence && (
                    <Evidence
                      evidence={step.evidence}
                      repeated={
                        step.evidence.kind === 'diagnosis' &&
                        walk.steps
                          .slice(0, index)
                          .some(
                            earlier =>
                              earlier.evidence?.kind === 'diagnosis' &&
                              earlier.evidence.diagnosis ===
                                (step.evidence as { diagnosis: unknown })
                                  .diagnosis,
                          )
                      }
                      t={t}
                    />
                  )}
                  {step.answeredBy === 'you' && (
                    <Button size="small" onClick={() => answer(step.question)}>
                      {t('wizard.change')}
                    </Button>
                  )}
                </StepContent>
              </Step>
            ))}
            {walk.next && (
              <Step key={walk.next.question} expanded>
                <StepLabel>{questionText(t, walk.next.question)}</StepLabel>
                <StepContent>
                  <Question
                    key={walk.next.question}
                    question={walk.next.question}
                    options={walk.next.options}
                    onAnswer={option => answer(walk.next!.question, option)}
                    t={t}
                  />
                </StepContent>
              </Step>
            )}
          </Stepper>
          {walk.steps.some(step => step.answeredBy === 'you') && (
            <Button onClick={() => setParams(new URLSearchParams())}>
              {t('wizard.startOver')}
            </Button>
          )}
        </InfoCard>
      </Grid>
      {walk.conclusion && (
        <Grid item xs={12} md={6}>
          <Conclusion facts={facts} walk={walk} t={t} />
        </Grid>
      )}
    </Grid>
  );
}

function Question(props: {
  question: QuestionId;
  options: string[];
  onAnswer: (option: string) => void;
  t: T;
}) {
  const { question, options, onAnswer, t } = props;
  const [selected, setSelected] = useState('');
  return (
    <Box>
      <RadioGroup
        aria-label={questionText(t, question)}
        name={question}
        value={selected}
        onChange={event => setSelected(event.target.value)}
      >
        {options.map(option => (
          <FormControlLabel
            key={option}
            value={option}
            control={<Radio size="small" />}
            label={questionText(t, question, option)}
          />
        ))}
      </RadioGroup>
      <Button
        variant="contained"
        color="primary"
        disabled={!selected}
        onClick={() => onAnswer(selected)}
      >
        {t('wizard.continue')}
      </Button>
    </Box>
  );
}

function Evidence(props: {
  evidence: TroubleshootingEvidence;
  /** The same diagnosis answered an earlier step: its evidence is shown there. */
  repeated: boolean;
  t: T;
}) {
  const { evidence, repeated, t } = props;
  const classes = useStyles();
  const locale = useLocale();
  const text = (() => {
    switch (evidence.kind) {
      case 'state':
        return t('wizard.evidence.state', {
          state: t(`state.${evidence.state}`),
        });
      case 'diagnosis':
        return t(
          repeated
            ? 'wizard.evidence.sameDiagnosis'
            : 'wizard.evidence.diagnosis',
          { title: evidence.diagnosis.title },
        );
      case 'message':
        return t('wizard.evidence.message', { where: evidence.where });
      case 'pendingPod':
        return evidence.reason
          ? t('wizard.evidence.pendingPod', {
              pod: evidence.pod,
              reason: evidence.reason,
            })
          : t('wizard.evidence.pendingPodNoReason', { pod: evidence.pod });
      case 'noPods':
        return t('wizard.evidence.noPods', { object: evidence.object });
      case 'duration':
      case 'cost':
        return t(`wizard.evidence.${evidence.kind}`, {
          ratio: formatNumber(evidence.ratio, locale, 1),
          runs: String(evidence.runs),
        });
      default:
        return '';
    }
  })();
  return (
    <Box data-testid="spark-wizard-evidence">
      <Typography variant="body2" color="textSecondary">
        {text}
      </Typography>
      {evidence.kind === 'message' && (
        <pre className={classes.pre}>{evidence.message.slice(0, 600)}</pre>
      )}
      {evidence.kind === 'diagnosis' && !repeated && (
        <DiagnosisEvidence diagnosis={evidence.diagnosis} />
      )}
    </Box>
  );
}

function DiagnosisEvidence(props: { diagnosis: SparkDiagnosis }) {
  return (
    <Box component="ul" mt={0.5} mb={0.5} pl={2}>
      {props.diagnosis.evidence.map((item, index) => (
        <Typography component="li" variant="body2" key={index}>
          {item.label}: <strong>{item.value}</strong>
          {item.source ? ` (${item.source})` : ''}
        </Typography>
      ))}
    </Box>
  );
}

/** The link to a runbook page, with the app's values for the TechDocs addon to fill in. */
export function runbookHref(
  id: RunbookId,
  language: 'en' | 'ru',
  values: Record<string, string>,
): string {
  const query = new URLSearchParams(values).toString();
  return `${runbookPath(id, language)}${query ? `?${query}` : ''}`;
}

function Conclusion(props: {
  facts: TroubleshootingFacts;
  walk: TroubleshootingWalk;
  t: T;
}) {
  const { facts, walk, t } = props;
  const classes = useStyles();
  const locale = useLocale();
  const language = locale.startsWith('ru') ? 'ru' : 'en';
  const { runbookId, diagnosis } = walk.conclusion!;
  const values = runbookValues(facts) as Record<string, string>;
  const entries = Object.entries(values);
  return (
    <InfoCard title={t('wizard.conclusion')}>
      <Box data-testid="spark-wizard-conclusion">
        <Typography variant="h5" component="h2" gutterBottom>
          {getRunbook(runbookId).title[language]}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="p">
          {runbookId}
        </Typography>
        {diagnosis && (
          <Box mt={1}>
            <Typography variant="body2">{diagnosis.summary}</Typography>
            {diagnosis.fix && (
              <Typography variant="body2">
                <strong>{t('wizard.fix')}:</strong> {diagnosis.fix}
              </Typography>
            )}
          </Box>
        )}
        {facts.app && (
          <Box mt={2}>
            <Typography variant="subtitle2">{t('wizard.values')}</Typography>
            {entries.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                {t('wizard.noValues')}
              </Typography>
            ) : (
              <Box className={classes.values}>
                {entries.map(([name, value]) => (
                  <Box key={name} display="contents">
                    <Typography variant="body2" className={classes.pre}>
                      ${name}
                    </Typography>
                    <Typography variant="body2" className={classes.pre}>
                      {value}
                    </Typography>
                  </Box>
                ))}
              </Box>
            )}
          </Box>
        )}
        <LinkButton
          variant="contained"
          color="primary"
          to={runbookHref(runbookId, language, values)}
        >
          {t('wizard.openRunbook')}
        </LinkButton>
        {walk.alsoRelevant.length > 0 && (
          <Box mt={2}>
            <Typography variant="subtitle2">
              {t('wizard.alsoRelevant')}
            </Typography>
            {walk.alsoRelevant.map(id => (
              <Box key={id}>
                <Link to={runbookHref(id, language, values)}>
                  {getRunbook(id).title[language]}
                </Link>
              </Box>
            ))}
          </Box>
        )}
      </Box>
    </InfoCard>
  );
}
