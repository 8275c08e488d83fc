/** Every runner of the parity suite, in report order. Adding a runner = one file and one line here. */
import type { BenchRunner } from '../types.js';
import { nativeRunner } from './native.js';
import { libsvmJs } from './peers/libsvm-js.js';
import { mlCart } from './peers/ml-cart.js';
import { mlKmeans } from './peers/ml-kmeans.js';
import { mlLogisticRegression } from './peers/ml-logistic-regression.js';
import { mlRandomForest } from './peers/ml-random-forest.js';
import { mlRegressionMultivariateLinear } from './peers/ml-regression-multivariate-linear.js';
import { pythonRunner } from './python-worker.js';
import { sklearnInProcessRunner } from './sklearn-inprocess.js';

export const RUNNERS: readonly BenchRunner[] = [
  nativeRunner,
  pythonRunner,
  sklearnInProcessRunner,
  mlRegressionMultivariateLinear,
  mlLogisticRegression,
  mlCart,
  mlRandomForest,
  mlKmeans,
  libsvmJs,
];
