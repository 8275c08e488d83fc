/**
 * What the SDK's types promise a TypeScript developer, checked by `tsc` (this folder's typecheck) and run as tests:
 * algorithm names are per-task string-literal unions (a typo does not compile), predict is `number` when the task
 * says regression, listings hold `Date`s and typed metrics, train returns its search results.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AlgorithmName,
  BatchPrediction,
  DeploymentSummary,
  ModelMetrics,
  ModelSummary,
  PostgresML,
  Prediction,
  ProjectSummary,
  SearchResults,
  TrainOptions,
  TrainResult,
} from '@pgml-ts/sdk';

describe('SDK types', () => {
  it('algorithm names are per-task unions', () => {
    expectTypeOf<'random_forest'>().toMatchTypeOf<AlgorithmName<'classification'>>();
    expectTypeOf<'kmeans'>().toMatchTypeOf<AlgorithmName<'clustering'>>();
    expectTypeOf<'kmeans'>().not.toMatchTypeOf<AlgorithmName<'regression'>>();
    expectTypeOf<'random_forst'>().not.toMatchTypeOf<AlgorithmName>();
    expectTypeOf<'lightgbm'>().not.toMatchTypeOf<AlgorithmName>(); // not installable here
    const ok: TrainOptions<'regression'> = { task: 'regression', algorithm: 'ridge' };
    // @ts-expect-error a typo is a compile error, as is another task's algorithm
    const typo: TrainOptions<'classification'> = { task: 'classification', algorithm: 'random_forst' };
    // @ts-expect-error kmeans is not a regression algorithm
    const wrongTask: TrainOptions<'regression'> = { task: 'regression', algorithm: 'kmeans' };
    void [ok, typo, wrongTask];
  });

  it('train infers the task from its options; predict is a number when the task says so', () => {
    type Client = PostgresML;
    expectTypeOf<Client['train']>().returns.toEqualTypeOf<Promise<TrainResult>>();
    const use = async (pgml: PostgresML) => {
      // @ts-expect-error the task given narrows the algorithm
      await pgml.train('p', { task: 'regression', algorithm: 'logistic' });
      await pgml.train('p', { task: 'classification', algorithm: 'logistic' });
      expectTypeOf(await pgml.predict('p', [1], { task: 'regression' })).toEqualTypeOf<number>();
      expectTypeOf(await pgml.predict('p', [1], { task: 'clustering' })).toEqualTypeOf<number>();
      expectTypeOf(await pgml.predict('p', [1])).toEqualTypeOf<Prediction>();
      expectTypeOf((await pgml.predictBatch('p', [[1]], { task: 'regression' })).predictions).toEqualTypeOf<Float64Array>();
      expectTypeOf(await pgml.predictBatch('p', [[1]])).toEqualTypeOf<BatchPrediction>();
    };
    void use;
  });

  it('listings hold Dates and typed metrics; train returns its search results', () => {
    expectTypeOf<ProjectSummary['createdAt']>().toEqualTypeOf<Date>();
    expectTypeOf<ModelSummary['createdAt']>().toEqualTypeOf<Date>();
    expectTypeOf<DeploymentSummary['createdAt']>().toEqualTypeOf<Date>();
    expectTypeOf<ModelSummary['metrics']>().toEqualTypeOf<ModelMetrics | null>();
    expectTypeOf<ModelMetrics[string]>().toEqualTypeOf<number | null>();
    expectTypeOf<ModelSummary['searchResults']>().toEqualTypeOf<SearchResults | null>();
    expectTypeOf<TrainResult['searchResults']>().toEqualTypeOf<SearchResults | null>();
  });
});
