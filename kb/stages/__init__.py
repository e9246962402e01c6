"""Per-document stages: what kb derives from one source alone."""
