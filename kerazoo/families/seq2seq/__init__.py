"""The seq2seq family."""
