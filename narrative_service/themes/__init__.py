"""themes feature."""
