/**
 * The scikit-learn toy datasets PostgresML's `pgml.load_dataset()` ships, with its table layouts
 * (pgml-extension/src/orm/dataset.rs): same table names, column names, column order and types.
 */
export type DatasetName = 'breast_cancer' | 'diabetes' | 'digits' | 'iris' | 'linnerud' | 'wine';

export interface DatasetColumn {
  name: string;
  /** The SQL type in CREATE TABLE, spelled as `format_type` reports it. */
  type: 'real' | 'integer' | 'smallint' | 'boolean' | 'smallint[]';
  /** For array columns: the array's dimensions; the column spans their product of CSV fields. */
  shape?: readonly number[];
}

export interface DatasetSpec {
  name: DatasetName;
  rows: number;
  columns: readonly DatasetColumn[];
}

const real = (...names: string[]): DatasetColumn[] => names.map((name) => ({ name, type: 'real' }));

const BREAST_CANCER_FEATURES = ['mean', 'error', 'worst'].flatMap((prefix) =>
  [
    'radius',
    'texture',
    'perimeter',
    'area',
    'smoothness',
    'compactness',
    'concavity',
    'concave points',
    'symmetry',
    'fractal dimension',
  ].map((feature) => (prefix === 'error' ? `${feature} error` : `${prefix} ${feature}`)),
);

export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = {
  breast_cancer: {
    name: 'breast_cancer',
    rows: 569,
    columns: [...real(...BREAST_CANCER_FEATURES), { name: 'malignant', type: 'boolean' }],
  },
  diabetes: {
    name: 'diabetes',
    rows: 442,
    columns: real('age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6', 'target'),
  },
  digits: {
    name: 'digits',
    rows: 1797,
    columns: [
      { name: 'image', type: 'smallint[]', shape: [8, 8] },
      { name: 'target', type: 'smallint' },
    ],
  },
  iris: {
    name: 'iris',
    rows: 150,
    columns: [...real('sepal_length', 'sepal_width', 'petal_length', 'petal_width'), { name: 'target', type: 'integer' }],
  },
  linnerud: {
    name: 'linnerud',
    rows: 20,
    columns: real('chins', 'situps', 'jumps', 'weight', 'waist', 'pulse'),
  },
  wine: {
    name: 'wine',
    rows: 178,
    // PostgresML's column names (hue before color_intensity); see datasets/README.md.
    columns: [
      ...real(
        'alcohol',
        'malic_acid',
        'ash',
        'alcalinity_of_ash',
        'magnesium',
        'total_phenols',
        'flavanoids',
        'nonflavanoid_phenols',
        'proanthocyanins',
        'hue',
        'color_intensity',
        'od280/od315_of_diluted_wines',
        'proline',
      ),
      { name: 'target', type: 'integer' },
    ],
  },
};

export const DATASET_NAMES = Object.keys(DATASETS).sort() as DatasetName[];
