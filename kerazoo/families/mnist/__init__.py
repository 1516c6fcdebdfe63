"""The mnist family."""
