"""The autoencoder family."""
