/** Wall-clock seconds per stage of a train, so users (and the end-to-end benchmark) see where the time goes. */
export interface TrainTimings {
  /** Creating (or finding) the snapshot: catalog checks, the snapshot row, materializing it when asked. */
  snapshot: number;
  /** Streaming the rows through binary COPY and decoding them natively. */
  read: number;
  /** Targets and the train/test split. */
  split: number;
  /** Fitting the preprocessing on the training rows and transforming the matrix. */
  preprocess: number;
  /** The fit, with the hyperparameter search when there is one. */
  fit: number;
  /** Predicting the test rows and computing the metrics. */
  score: number;
  /** The model's explanation on the test rows (importances, confusion matrix, curves, residuals). */
  explain: number;
  /** Serializing and storing the model, and deploying it. */
  store: number;
  total: number;
}

type Stage = Exclude<keyof TrainTimings, 'total'>;

export class StageClock {
  readonly #start = performance.now();
  #last = this.#start;
  readonly #seconds: Partial<Record<Stage, number>> = {};

  /** Ends `stage` now: the time since the previous lap is its duration. */
  lap(stage: Stage): void {
    const now = performance.now();
    this.#seconds[stage] = (this.#seconds[stage] ?? 0) + (now - this.#last) / 1000;
    this.#last = now;
  }

  timings(): TrainTimings {
    const s = this.#seconds;
    return {
      snapshot: s.snapshot ?? 0,
      read: s.read ?? 0,
      split: s.split ?? 0,
      preprocess: s.preprocess ?? 0,
      fit: s.fit ?? 0,
      score: s.score ?? 0,
      explain: s.explain ?? 0,
      store: s.store ?? 0,
      total: (performance.now() - this.#start) / 1000,
    };
  }
}
