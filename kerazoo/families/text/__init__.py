"""The text family."""
