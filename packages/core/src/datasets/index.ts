export { DATASET_NAMES, DATASETS, type DatasetColumn, type DatasetName, type DatasetSpec } from './catalog.js';
export { isDatasetName, loadDataset, readDatasetColumns, type LoadDatasetOptions, type LoadedDataset } from './load.js';
