/**
 * How the algorithm catalogue describes a hyperparameter, whichever runtime validates it: the native runtime's Rust
 * specs (`ParamSpec::to_json` in packages/native/crates/ml-core) and scikit-learn's `_parameter_constraints`
 * (packages/python-compat/python/pgml_worker/catalogue.py) are both rendered into this shape.
 */
export type HyperparamValue = number | boolean | string | null;

/** One kind of value a hyperparameter accepts; a value is valid when it matches any of its `accepts`. */
export type HyperparamConstraint =
  | {
      type: 'number' | 'integer';
      /** Bounds, when there are any; `minExclusive`/`maxExclusive` say whether the bound itself is excluded. */
      min?: number;
      minExclusive?: boolean;
      max?: number;
      maxExclusive?: boolean;
      /** A fixed set of numbers instead of a range. */
      choices?: number[];
    }
  | { type: 'string'; choices?: string[] }
  | { type: 'boolean' }
  | { type: 'null' }
  | { type: 'array' }
  | { type: 'object' };

export interface HyperparamSpec {
  /** scikit-learn's name. */
  name: string;
  /** What the estimator uses when the hyperparameter is not given (null also where the library decides). */
  default: HyperparamValue;
  /** The default as the library prints it when it is not a JSON value (`nan`, `inf`, an object). */
  defaultText?: string;
  /** Absent where the library declares no constraints (XGBoost): it checks the value itself when fitting. */
  accepts?: HyperparamConstraint[];
}

/** `a number > 0`, `one of "rbf", "linear"`, `an integer in [1, 10] or null`: a spec's `accepts` in words. */
export function describeAccepts(accepts: readonly HyperparamConstraint[] | undefined): string {
  if (accepts === undefined) return 'checked by the library when fitting';
  if (accepts.length === 0) return 'nothing that JSON can carry';
  return accepts.map(describeConstraint).join(' or ');
}

function describeConstraint(c: HyperparamConstraint): string {
  switch (c.type) {
    case 'number':
    case 'integer': {
      const noun = c.type === 'integer' ? 'an integer' : 'a number';
      if (c.choices) return `one of ${c.choices.join(', ')}`;
      if (c.min !== undefined && c.max !== undefined) {
        return `${noun} in ${c.minExclusive ? '(' : '['}${c.min}, ${c.max}${c.maxExclusive ? ')' : ']'}`;
      }
      if (c.min !== undefined) return `${noun} ${c.minExclusive ? '>' : '>='} ${c.min}`;
      if (c.max !== undefined) return `${noun} ${c.maxExclusive ? '<' : '<='} ${c.max}`;
      return noun;
    }
    case 'string':
      return c.choices ? `one of ${c.choices.map((s) => JSON.stringify(s)).join(', ')}` : 'a string';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
  }
}
