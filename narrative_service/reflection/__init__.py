"""reflection feature."""
