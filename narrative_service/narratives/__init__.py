"""narratives feature."""
