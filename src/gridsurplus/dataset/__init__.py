"""The dataset: a folder of tables, its schema, validation and loading."""

from gridsurplus.dataset.io import Dataset, default_dataset_path, load_dataset

__all__ = ["Dataset", "default_dataset_path", "load_dataset"]
