"""Export to SavedModel and TFLite (TensorFlow-specific)."""
