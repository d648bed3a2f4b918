"""Accounts: residents' registration, officials, organisers, unit managers, login and consent."""
