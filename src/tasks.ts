// snnkit/tasks: experiment runners and presets (paper reproductions, sweeps, benchmark networks, the
// training runs of `snnkit train`), apart from the library. Portable: no Node APIs.
export { type BoundTrialCounts, type BoundTrials, boundTrials, LIF_CHECKS, type LifCheck, MAX_BOUND_TRIALS, randomTrain } from "./tasks/spiketrain/bound_trials.js";
export { type ResonancePeak, resonancePeak, type ResonanceSurface, resonanceSurface, type ResonanceTrialRow, resonanceTrials } from "./tasks/spiketrain/resonance.js";
export { w5Network } from "./tasks/sim/w5_network.js";
export { ONE_LAYER_DEFAULTS, type OneLayerOutcome, type OneLayerSetup, runOneLayer } from "./tasks/tem/one_layer_experiment.js";
export { oneLayerSweeps, type OneLayerSweeps, type SweepPoint, type TwoLayerSweepRow, twoLayerSweep } from "./tasks/tem/sweeps.js";
export { BACKENDS, type DataSettings, DATASETS, type DatasetName, DEFAULT_VALIDATION, MAX_IMAGES, rngStateSchema, withDefaults } from "./tasks/run/settings.js";
export { EVALUATION_SPLITS, type EvaluationSplit, type EventSplitQuery, type ImageSource, loadEvaluationData, loadEventEvaluationData, loadEventRunData, loadRunData, loadSplit } from "./tasks/run/data.js";
export { CHECKPOINT, readStoredCheckpoint, type RunStore } from "./tasks/run/store.js";
export { MemoryStore } from "./tasks/run/memory_store.js";
export type { RunFiles, RunPosition, Task, TaskContext, TaskEvent } from "./tasks/run/task.js";
export { restoreRun, resumeConflicts, resumedConfig, type RunOptions, runTask } from "./tasks/run/runner.js";
export {
  configureTrain,
  classesOf,
  DEFAULT_CONFIG,
  ENCODINGS,
  EVENT_PRESETS,
  frameSettingsOf,
  inputShapeOf,
  LOSSES,
  OPTIMIZERS,
  RECIPES,
  type RecipeName,
  SCHEDULES,
  type TrainConfig,
  trainConfigSchema,
  TRAIN_LIMITS,
  validateConfig,
} from "./tasks/train/config.js";
export { type BatchReport, classScores, evaluate, networkOutput, predictClasses, type TrainHooks, trainEpochs, trainingFinished, trainingLoss, trainSteps } from "./tasks/train/loop.js";
export { restoreSession, sessionCheckpoint, startFromCheckpoint, type TrainResult, trainTask } from "./tasks/train/task.js";
export { type EvaluateConfig, evaluateJob, type EvaluateResult } from "./tasks/train/evaluate_job.js";
export { loadModel, modelFile, SNNKIT_VERSION } from "./tasks/train/model_file.js";
export { type ExportConfig, exportJob, type Prediction, type PredictConfig, predictJob } from "./tasks/train/predict_job.js";
export { type InspectConfig, type InspectedNode, inspectJob, type InspectResult } from "./tasks/nir/inspect_job.js";
export { type NirRunConfig, nirRunJob, type NirRunResult } from "./tasks/nir/run_job.js";
export { type DataInspectConfig, dataInspectJob, type DataInspectResult } from "./tasks/events/data_inspect_job.js";
export type { Job, JobHooks } from "./tasks/run/job.js";
export { rasterOfSample, sampleRaster, trainingCurve } from "./tasks/train/plots.js";
export { buildModel, MODEL_NAMES, type ModelName, type ModelSpec, NEURON_NAMES, type NeuronName } from "./tasks/train/models.js";
export { createSession, encodeBatch, type EpochMetrics, type TrainingSession, type TrainProgress } from "./tasks/train/session.js";
export { parseCheckpointHeader, type TrainCheckpointHeader } from "./tasks/train/checkpoint_header.js";
export { configureDsn, DEFAULT_DSN_CONFIG, DSN_LIMITS, DSN_MODELS, type DsnConfig, dsnConfigSchema, validateDsnConfig } from "./tasks/dsn/config.js";
export { type DsnResult, dsnTask, restoreDsnRun } from "./tasks/dsn/task.js";
export { type ConvertResult, convertRun } from "./tasks/dsn/convert.js";
export {
  classificationError,
  createDsnSession,
  type DsnEpochMetrics,
  type DsnHooks,
  type DsnProgress,
  type DsnSampleReport,
  type DsnSession,
  dsnFinished,
  dsnSessionArrays,
  dsnSteps,
  type OpsPerSample,
  restoreDsnSession,
  trainDsnEpochs,
} from "./tasks/dsn/session.js";
export {
  DSN_VARIANTS,
  type DsnExperimentOptions,
  type DsnExperimentRow,
  type DsnExperimentSummary,
  type DsnVariant,
  EXPERIMENT_MAX_SPIKES_PER_STEP,
  experimentTable,
  REPORTED_RELU_WITH_SPIKING_WEIGHTS,
  REPORTED_TEST_ERROR,
  runDsnExperiments,
  summarizeExperiments,
} from "./tasks/dsn/experiments.js";
export { compareSpreads, formatSpread, rateStandardError, seedList, type Spread, type SpreadOrder, spread } from "./tasks/seeds/spread.js";
export { ATTACK_NAMES, ATTACKS, type AttackKind, type AttackName, type AttackSpec, type AttackSweep, attackName, parseRange, sweep } from "./tasks/robustness/attacks.js";
export { PAPER_PAIRS, PAPER_TEST_IMAGES, paperModels, standardSweeps } from "./tasks/robustness/paper.js";
export {
  type GroupCurve,
  type GroupedAttack,
  groupCurves,
  groupedTable,
  type PairVerdict,
  pairVerdicts,
  seededName,
  seedGroup,
  verdictLines,
} from "./tasks/robustness/seed_groups.js";
export { type CheckpointModel, type PaperRunOptions, robustnessPaper, type RobustnessRunOptions, type RobustnessRunResult, runRobustnessSuite } from "./tasks/robustness/run.js";
export { attackPoint, type AttackCurves, curveArea, type RobustnessModel, type RobustnessOptions, type RobustnessPoint, robustnessTable, runRobustness } from "./tasks/robustness/suite.js";
export { checkEsConfig, createEs, DEFAULT_ES, type EsConfig, type EsGeneration, esGeneration, type EsSession, esShape } from "./tasks/control/es.js";
export { checkPgConfig, createPg, DEFAULT_PG, type PgConfig, type PgSession, type PgUpdate, pgUpdate, returnsToGo } from "./tasks/control/pg.js";
export {
  CONTROL_METHODS,
  type ControlMethod,
  type ControlSession,
  createControl,
  type EpisodeSet,
  episodesPerIteration,
  evaluatePolicy,
  HELD_OUT_EPISODES,
  iterate,
  type IterationReport,
  policyOf,
  restoreHistory,
  SOLVED_RETURN,
  STOPPING_EPISODES,
} from "./tasks/control/session.js";
export { configureControl, type ControlConfig, controlConfigSchema, DEFAULT_CONTROL, methodConfig } from "./tasks/control/config.js";
export { type ControlRecord, type ControlReport, type ControlResult, type ControlRun, controlTask, restoreControl } from "./tasks/control/task.js";
export { TRANSFER_ENGINES, type TransferEngine, type TransferOptions, type TransferResult, transferAccuracy } from "./tasks/transfer/transfer.js";
