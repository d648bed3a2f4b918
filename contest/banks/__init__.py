"""Question banks: parsers for bank files (pure), the bank models, the import service and its CLI."""
