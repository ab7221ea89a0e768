"""junheng: grounded quantitative claims from Chinese compulsory-education documents."""

__version__ = "0.1.0"
