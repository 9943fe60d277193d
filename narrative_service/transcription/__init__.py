"""transcription feature."""
