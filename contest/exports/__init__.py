"""Exports: tables (pure: headers and rows) written as Excel or CSV, from the console and the CLI."""
