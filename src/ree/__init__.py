"""REE: a real-estate AI assistant for Vietnam."""

__version__ = "0.1.0"
