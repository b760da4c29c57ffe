"""Accounts: password hashing, tokens, guests and the account service."""
