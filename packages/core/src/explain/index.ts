export { explainModel, runtimeModel, type ExplainedModel, type ExplainInput } from './explain.js';
export { explainStoredModel } from './stored-model.js';
export { loadExplanation, saveExplanation, type StoredExplanation } from './store.js';
export { MAX_CURVE_POINTS } from './classification.js';
export { MAX_SCATTER_POINTS } from './regression.js';
export { PERMUTATION_BUDGET, PERMUTATION_MAX_ROWS, PERMUTATION_REPEATS, permutationBudget } from './permutation.js';
export type * from './types.js';
