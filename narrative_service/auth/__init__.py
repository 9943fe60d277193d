"""auth feature."""
