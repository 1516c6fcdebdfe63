"""The forecast family."""
